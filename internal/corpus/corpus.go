// Package corpus generates deterministic, realistic C# Lambda projects for
// benchmarks and scale tests: handlers with manifests, services, repositories,
// DI registrations, partial classes, models, and a few hazards.
package corpus

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
)

// Generate writes about n .cs files under dir (projects of 20 files each) and
// returns the number of files and bytes written. The same n and seed give the
// same files.
func Generate(dir string, n int, seed int64) (files int, bytes int64, err error) {
	r := rand.New(rand.NewSource(seed))
	for p := 0; files < n; p++ {
		proj := fmt.Sprintf("Service%03d", p)
		root := filepath.Join(dir, "src", proj)
		write := func(rel, content string) {
			if err != nil {
				return
			}
			path := filepath.Join(root, rel)
			if e := os.MkdirAll(filepath.Dir(path), 0o755); e != nil {
				err = e
				return
			}
			if e := os.WriteFile(path, []byte(content), 0o644); e != nil {
				err = e
				return
			}
			bytes += int64(len(content))
			if strings.HasSuffix(rel, ".cs") {
				files++
			}
		}
		ns := "Company." + proj
		write(proj+".csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>\n</Project>\n")
		write("aws-lambda-tools-defaults.json", fmt.Sprintf("{\n  \"function-runtime\": \"dotnet8\",\n  \"function-handler\": \"%s::%s.Function::FunctionHandler\"\n}\n", proj, ns))
		entities := []string{"Order", "Customer", "Invoice", "Product", "Shipment", "Payment"}
		r.Shuffle(len(entities), func(i, j int) { entities[i], entities[j] = entities[j], entities[i] })
		ents := entities[:3]
		write("Function.cs", handler(r, ns, ents))
		write("Startup.cs", startup(ns, ents))
		for _, e := range ents {
			write("Models/"+e+".cs", model(r, ns, e))
			write("Models/"+e+".Validation.cs", modelPartial(r, ns, e))
			write("Services/I"+e+"Service.cs", serviceInterface(ns, e))
			write("Services/"+e+"Service.cs", service(r, ns, e))
			write("Data/"+e+"Repository.cs", repository(r, ns, e))
		}
		for i := 0; files < n && i < 20-2-5*len(ents); i++ {
			write(fmt.Sprintf("Helpers/Helper%02d.cs", i), helper(r, ns, i))
		}
	}
	return files, bytes, err
}

func handler(r *rand.Rand, ns string, ents []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using %[1]s.Data;
using %[1]s.Models;
using %[1]s.Services;

namespace %[1]s;

public class Function
{
    private static readonly HttpClient Http = new HttpClient();
    private static readonly IAmazonDynamoDB Dynamo = new AmazonDynamoDBClient();
    private static int _invocations;
`, ns)
	for _, e := range ents {
		fmt.Fprintf(&b, "    private readonly I%[1]sService _%[2]s;\n", e, lower(e))
	}
	b.WriteString("\n    public Function()\n    {\n")
	for _, e := range ents {
		fmt.Fprintf(&b, "        _%[2]s = new %[1]sService(new %[1]sRepository(Dynamo), Http);\n", e, lower(e))
	}
	b.WriteString("    }\n\n    public async Task<APIGatewayProxyResponse> FunctionHandler(APIGatewayProxyRequest request, ILambdaContext context)\n    {\n")
	if r.Intn(3) == 0 {
		b.WriteString("        _invocations++;\n")
	} else {
		b.WriteString("        Interlocked.Increment(ref _invocations);\n")
	}
	b.WriteString("        switch (request.Resource)\n        {\n")
	for _, e := range ents {
		fmt.Fprintf(&b, `            case "/%[2]s":
            {
                var item = JsonSerializer.Deserialize<%[1]s>(request.Body);
                var id = await _%[2]s.SaveAsync(item, context.AwsRequestId);
                return new APIGatewayProxyResponse { StatusCode = 201, Body = id };
            }
`, e, lower(e))
	}
	b.WriteString("            default:\n                return new APIGatewayProxyResponse { StatusCode = 404 };\n        }\n    }\n}\n")
	return b.String()
}

func startup(ns string, ents []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "using Microsoft.Extensions.DependencyInjection;\nusing %[1]s.Data;\nusing %[1]s.Services;\n\nnamespace %[1]s;\n\npublic class Startup\n{\n    public void ConfigureServices(IServiceCollection services)\n    {\n", ns)
	for _, e := range ents {
		fmt.Fprintf(&b, "        services.AddSingleton<I%[1]sService, %[1]sService>();\n        services.AddScoped<%[1]sRepository>();\n", e)
	}
	b.WriteString("    }\n}\n")
	return b.String()
}

func model(r *rand.Rand, ns, e string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "using System;\nusing System.Collections.Generic;\n\nnamespace %s.Models;\n\npublic partial class %s\n{\n", ns, e)
	for i := 0; i < 6+r.Intn(6); i++ {
		fmt.Fprintf(&b, "    public %s Field%d { get; set; }\n", []string{"string", "int", "decimal", "DateTime", "Guid", "List<string>"}[r.Intn(6)], i)
	}
	fmt.Fprintf(&b, "\n    public override string ToString() => $\"%s {Field0}\";\n}\n", e)
	return b.String()
}

func modelPartial(r *rand.Rand, ns, e string) string {
	return fmt.Sprintf(`using System.Collections.Generic;

namespace %[1]s.Models;

public partial class %[2]s
{
    public IEnumerable<string> Validate()
    {
        var errors = new List<string>();
        if (Field0 == null)
        {
            errors.Add("Field0 is required");
        }
        for (var i = 0; i < %[3]d; i++)
        {
            if (i %% 7 == 3)
            {
                errors.Add($"rule {i}");
            }
        }
        return errors;
    }
}
`, ns, e, 3+r.Intn(5))
}

func serviceInterface(ns, e string) string {
	return fmt.Sprintf("using System.Threading.Tasks;\nusing %[1]s.Models;\n\nnamespace %[1]s.Services;\n\npublic interface I%[2]sService\n{\n    Task<string> SaveAsync(%[2]s item, string requestId);\n    Task<%[2]s> GetAsync(string id);\n}\n", ns, e)
}

func service(r *rand.Rand, ns, e string) string {
	cache := "ConcurrentDictionary<string, " + e + ">"
	if r.Intn(4) == 0 {
		cache = "Dictionary<string, " + e + ">"
	}
	return fmt.Sprintf(`using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using %[1]s.Data;
using %[1]s.Models;

namespace %[1]s.Services;

public class %[2]sService : I%[2]sService
{
    private static readonly %[3]s Cache = new %[3]s();
    private readonly %[2]sRepository _repository;
    private readonly HttpClient _http;

    public %[2]sService(%[2]sRepository repository, HttpClient http)
    {
        _repository = repository;
        _http = http;
    }

    public async Task<string> SaveAsync(%[2]s item, string requestId)
    {
        var errors = item.Validate();
        foreach (var error in errors)
        {
            Console.WriteLine(error);
        }
        var path = Path.Combine(Path.GetTempPath(), $"{requestId}-%[4]s.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(item));
        var id = Guid.NewGuid().ToString();
        Cache[id] = item;
        await _repository.PutAsync(id, item);
        return id;
    }

    public async Task<%[2]s> GetAsync(string id)
    {
        if (Cache.TryGetValue(id, out var cached))
        {
            return cached;
        }
        return await _repository.GetAsync(id);
    }
}
`, ns, e, cache, lower(e))
}

func repository(r *rand.Rand, ns, e string) string {
	counter := "Interlocked.Increment(ref _writes);"
	if r.Intn(5) == 0 {
		counter = "_writes++;"
	}
	return fmt.Sprintf(`using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using %[1]s.Models;

namespace %[1]s.Data;

public class %[2]sRepository
{
    private readonly IAmazonDynamoDB _dynamo;
    private long _writes;

    public %[2]sRepository(IAmazonDynamoDB dynamo)
    {
        _dynamo = dynamo;
    }

    public async Task PutAsync(string id, %[2]s item)
    {
        %[3]s
        await _dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = "%[4]s",
            Item = new Dictionary<string, AttributeValue> { ["id"] = new AttributeValue(id) },
        });
    }

    public async Task<%[2]s> GetAsync(string id)
    {
        var response = await _dynamo.GetItemAsync("%[4]s", new Dictionary<string, AttributeValue> { ["id"] = new AttributeValue(id) });
        return new %[2]s { Field0 = response.Item.Count > 0 ? default : default };
    }
}
`, ns, e, counter, lower(e)+"s")
}

func helper(r *rand.Rand, ns string, i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "using System;\nusing System.Linq;\nusing System.Text;\n\nnamespace %s.Helpers;\n\npublic static class Helper%02d\n{\n", ns, i)
	for m := 0; m < 4+r.Intn(6); m++ {
		fmt.Fprintf(&b, `    public static string Format%[1]d(string input, int width)
    {
        var sb = new StringBuilder();
        foreach (var c in input.Where(char.IsLetterOrDigit))
        {
            sb.Append(char.ToUpperInvariant(c));
        }
        return sb.ToString().PadLeft(width + %[1]d);
    }

`, m)
	}
	b.WriteString("}\n")
	return b.String()
}

func lower(s string) string { return strings.ToLower(s[:1]) + s[1:] }
