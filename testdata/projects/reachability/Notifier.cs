namespace Reach;

public interface INotifier
{
    void Notify(string message);
}

public class EmailNotifier : INotifier
{
    private static int _sent;

    public void Notify(string message)
    {
        _sent++; // want LMI005 "EmailNotifier._sent"
    }
}
