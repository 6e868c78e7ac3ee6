namespace CdkApp;

public class OrderHandler
{
    private static int _orders;

    public int Handle(string body)
    {
        return ++_orders; // want LMI005
    }
}

public class AuditHandler
{
    private static string _lastAudit;

    public void Run(string body)
    {
        _lastAudit = body; // want LMI001
    }
}

public class RefundHandler
{
    private static decimal _refunded;

    public void Process(decimal amount)
    {
        _refunded += amount; // want LMI005
    }
}
