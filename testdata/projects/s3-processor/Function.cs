using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Amazon.Lambda.Core;
using Amazon.Lambda.S3Events;
using Amazon.S3;
using Amazon.S3.Model;

namespace S3Processor
{
    public class Function
    {
        private const string ScratchFile = "/tmp/original.jpg";
        private static readonly IAmazonS3 S3 = new AmazonS3Client();
        private static readonly List<string> Processed = new List<string>();
        private static readonly object ProcessedLock = new object();
        private readonly ImageResizer _resizer = new ImageResizer();

        public async Task FunctionHandler(S3Event evnt, ILambdaContext context)
        {
            foreach (var record in evnt.Records)
            {
                var key = record.S3.Object.Key;
                using var response = await S3.GetObjectAsync(record.S3.Bucket.Name, key);
                await response.WriteResponseStreamToFileAsync(ScratchFile, false, default); // want LMI003 "/tmp/original.jpg"
                var output = _resizer.Resize(ScratchFile, context.AwsRequestId);
                await S3.PutObjectAsync(new PutObjectRequest { BucketName = "thumbnails", Key = key, FilePath = output });
                lock (ProcessedLock)
                {
                    Processed.Add(key);
                }
            }
            CleanUp();
        }

        private static void CleanUp()
        {
            foreach (var file in Directory.GetFiles(Path.GetTempPath()))
            {
                File.Delete(file); // want LMI015
            }
        }
    }
}
