using System.Collections.Generic;
using Amazon.Lambda.Core;

namespace Orders;

// Two independent projects reuse the names Function, Pipeline and Invoke.
// Calls resolve within a project (and the projects it references), so the
// hazards of the Reports project are not on this project's request path.
public class Function
{
    private readonly Pipeline _pipeline = new Pipeline();
    private static readonly Dictionary<string, int> Counts = new Dictionary<string, int>();

    public string FunctionHandler(Order order, ILambdaContext context)
    {
        var processor = new IntentProcessor();
        var reply = processor.Process(order, context);
        var request = new DetectRequest { MinConfidence = MinConfidence, Name = order.Name };
        Counts[order.Name] = 1; // want LMI002
        return _pipeline.Invoke(reply) + request.Name;
    }

    private float MinConfidence { get; set; } = 50;
}

// Handed the context by the handler and created per request: a helper, not a
// handler class, so its fields are per request.
public class IntentProcessor
{
    private string _chosen;

    public string Process(Order order, ILambdaContext context)
    {
        _chosen = order.Name;
        return _chosen;
    }
}

public class Pipeline
{
    public string Invoke(string input) => input;
}

public class DetectRequest
{
    public float MinConfidence { get; set; }
    public string Name { get; set; }
}

public class Order
{
    public string Name { get; set; }
}
