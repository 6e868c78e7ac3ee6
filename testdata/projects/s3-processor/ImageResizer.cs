using System.IO;

namespace S3Processor
{
    public class ImageResizer
    {
        private string _lastOutput;
        private int _resized;

        public string Resize(string input, string requestId)
        {
            var output = Path.Combine(Path.GetTempPath(), $"{requestId}-thumb.jpg");
            File.Copy(input, output, true);
            File.WriteAllText("/tmp/resize.log", input); // want LMI003 "/tmp/resize.log"
            _lastOutput = output; // want LMI006 "Function._resizer"
            _resized += 1; // want LMI005
            return output;
        }
    }
}
