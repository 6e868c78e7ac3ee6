using System.Collections.Generic;

namespace SamApp;

// No ILambdaContext parameters here: the template alone makes these handlers.
public class Handlers
{
    private static readonly List<string> Log = new List<string>();

    public string Put(string body)
    {
        Log.Add(body); // want LMI002
        return body;
    }

    public class Nested
    {
        private string _last;

        public string Handle(string body)
        {
            _last = body; // want LMI006 "Nested"
            return _last;
        }
    }
}
