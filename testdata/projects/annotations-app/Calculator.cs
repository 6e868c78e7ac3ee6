using System;
using System.Collections.Generic;
using Amazon.Lambda.Annotations;
using Amazon.Lambda.Annotations.APIGateway;

namespace AnnotationsApp.Math
{
    // A quote escaped right after an interpolation (`""{x}"""`) ends these
    // verbatim strings; the bundled grammar took the `"""` for a raw string's
    // delimiter, and with several of them lost the whole file, handlers
    // included.
    public class Calculator
    {
        private static readonly List<string> History = new();

        [LambdaFunction]
        [HttpApi(LambdaHttpMethod.Post, "/add")]
        public string Add([FromBody] string pairs)
        {
            var halves = pairs.Split(";");
            if (halves.Length != 2)
            {
                throw new ArgumentException(@$"Pairs must look like ""1,2;3,4"", but found ""{pairs}""");
            }
            var left = halves[0].Split(",");
            if (left.Length != 2)
            {
                throw new ArgumentException(@$"A pair must look like ""1,2"", but found ""{left}""");
            }
            var right = halves[1].Split(",");
            if (right.Length != 2)
            {
                throw new ArgumentException(@$"A pair must look like ""1,2"", but found ""{right}""");
            }
            History.Add(pairs); // want LMI002
            return $"{int.Parse(left[0]) + int.Parse(right[0])},{int.Parse(left[1]) + int.Parse(right[1])}";
        }

        [LambdaFunction]
        [HttpApi(LambdaHttpMethod.Post, "/negate")]
        public string Negate([FromBody] IList<int> pair)
        {
            if (pair.Count != 2)
            {
                throw new ArgumentException(@$"A pair must look like [1,2], but found ""{pair}""");
            }
            if (pair[0] == int.MinValue || pair[1] == int.MinValue)
            {
                throw new ArgumentException(@$"A pair's numbers must be over {int.MinValue}, but found ""{pair}""");
            }
            History.Clear(); // want LMI002
            return $"{-pair[0]},{-pair[1]}";
        }
    }
}
