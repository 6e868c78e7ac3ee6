using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Constructs;

namespace Infra;

public class ApiStack : Stack
{
    public ApiStack(Construct scope, string id) : base(scope, id)
    {
        new Function(this, "Orders", new FunctionProps
        {
            Runtime = Runtime.DOTNET_8,
            Handler = "CdkApp::CdkApp.OrderHandler::Handle",
            Code = Code.FromAsset("./src"),
        });
        AddFunction(id: "Refund", handler: "CdkApp::CdkApp.RefundHandler::Process");
        new Function(this, "Audit", new FunctionProps { Runtime = Runtime.DOTNET_8, Code = Code.FromAsset("./src"), Handler = "CdkApp::CdkApp.AuditHandler::Run" });
    }

    private void AddFunction(string id, string handler)
    {
        new Function(this, id, new FunctionProps { Runtime = Runtime.DOTNET_8, Code = Code.FromAsset("./src"), Handler = handler });
    }
}
