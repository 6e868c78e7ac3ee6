package analyzer

import "strings"

// Facts about well-known .NET types that more than one rule needs. The sets
// can be extended from .lmilint.yaml.

// unsafeCollections are collection types that are not safe for concurrent
// mutation (SPEC LMI002).
var unsafeCollections = map[string]bool{
	"List": true, "Dictionary": true, "HashSet": true, "Queue": true, "Stack": true,
	"SortedDictionary": true, "SortedList": true, "SortedSet": true, "LinkedList": true,
	"ArrayList": true, "Hashtable": true, "Collection": true, "ObservableCollection": true,
	"NameValueCollection": true, "PriorityQueue": true,
}

// IsUnsafeCollection reports whether a written type is a collection that is not
// thread-safe, arrays included.
func IsUnsafeCollection(written string) bool {
	w := strings.TrimSpace(written)
	if strings.HasSuffix(strings.TrimSuffix(w, "?"), "]") && !strings.HasPrefix(w, "[") {
		return true // T[]
	}
	return unsafeCollections[SimpleTypeName(w)]
}

// nonThreadSafeTypes are types whose instances must not be used by concurrent
// requests (SPEC LMI008). Subclasses of HashAlgorithm are listed by name.
var nonThreadSafeTypes = map[string]bool{
	"Random": true, "StringBuilder": true, "MemoryStream": true, "StreamWriter": true,
	"TextWriter": true, "StringWriter": true, "BinaryWriter": true, "Utf8JsonWriter": true,
	"HashAlgorithm": true, "SHA1": true, "SHA256": true, "SHA384": true, "SHA512": true, "MD5": true,
	"HMAC": true, "HMACSHA1": true, "HMACSHA256": true, "HMACSHA384": true, "HMACSHA512": true, "HMACMD5": true,
	"IncrementalHash": true, "ICryptoTransform": true, "DbContext": true,
	"DbConnection": true, "SqlConnection": true, "NpgsqlConnection": true, "MySqlConnection": true, "SqliteConnection": true,
	"DbCommand": true, "SqlCommand": true, "NpgsqlCommand": true, "MySqlCommand": true, "SqliteCommand": true,
	"XmlDocument": true, "Stopwatch": true,
}

// threadSafeTypes are never reported as non-thread-safe, even when configured
// patterns would match them.
var threadSafeTypes = map[string]bool{
	"DynamoDBContext": true, "HttpClient": true, "Regex": true, "Encoding": true,
	"XmlSerializer": true, "ILogger": true, "JsonSerializerOptions": true,
}

// IsNonThreadSafeType reports whether a written type is one of the types whose
// instances must not be shared between concurrent requests.
func IsNonThreadSafeType(written string) bool {
	name := SimpleTypeName(written)
	if threadSafeTypes[name] {
		return false
	}
	return nonThreadSafeTypes[name]
}

// clientTypes are further client types (from .lmilint.yaml) that LMI014
// treats like HttpClient: Redis multiplexers, MongoDB clients, gRPC channels.
var clientTypes = map[string]bool{}

// AddClientTypes extends the client types (from configuration).
func AddClientTypes(names []string) {
	for _, n := range names {
		clientTypes[SimpleTypeName(n)] = true
	}
}

// IsConfiguredClientType reports whether a type was configured as a client.
func IsConfiguredClientType(written string) bool { return clientTypes[SimpleTypeName(written)] }

// AddTypeNames extends the built-in type facts (from configuration).
func AddTypeNames(threadSafe, nonThreadSafe []string) {
	for _, t := range threadSafe {
		threadSafeTypes[SimpleTypeName(t)] = true
		delete(nonThreadSafeTypes, SimpleTypeName(t))
	}
	for _, t := range nonThreadSafe {
		nonThreadSafeTypes[SimpleTypeName(t)] = true
	}
}

// IsThreadAffine reports whether a field is [ThreadStatic] or a ThreadLocal<T>.
func IsThreadAffine(f *Field) bool {
	return f.HasAttribute("ThreadStatic") || SimpleTypeName(f.TypeName) == "ThreadLocal"
}

// IsAsyncLocal reports whether a field is an AsyncLocal<T>, whose Value flows
// with each request's async context.
func IsAsyncLocal(f *Field) bool { return SimpleTypeName(f.TypeName) == "AsyncLocal" }
