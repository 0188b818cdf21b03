using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace EmergencySolution.Packager.Building;

/// <summary>A solution checker finding in a built assembly: the rule, the method and what it does.</summary>
public sealed record CheckerFinding(string Rule, string Method, string What);

/// <summary>
/// Microsoft's solution checker rules for plugin code that can be read from a built assembly's metadata and IL
/// without loading it: batch request types (il-avoid-batch-plugin), parallel execution (il-avoid-parallel-plugin)
/// and all columns (il-specify-column: new ColumnSet(true) or AllColumns = true).
/// </summary>
/// <remarks>
/// Rule ids and meanings as Microsoft's solution checker page listed them ("Best practice rules used by solution
/// checker", learn.microsoft.com/power-apps/maker/data-platform/use-powerapps-checker; source MicrosoftDocs/powerapps-docs
/// powerapps-docs/maker/data-platform/use-powerapps-checker.md, the 2020 revision): il-specify-column "Avoid selecting
/// all columns via Dataverse query APIs", il-avoid-batch-plugin "Avoid using batch request types in Dataverse plug-ins
/// and workflow activities", il-avoid-parallel-plugin "The usage of parallel patterns should be avoided within
/// plug-ins". The page's current revision lists only the meta-* rules for plug-ins (the checker no longer names plug-in
/// assemblies among what it analyzes); the guidance pages remain: best-practices/business-logic/avoid-batch-requests-plugin
/// (names ExecuteMultiple, ExecuteTransaction, CreateMultiple, UpdateMultiple, UpsertMultiple) and
/// best-practices/business-logic/do-not-use-parallel-execution-in-plug-ins (task-based asynchronous pattern, Task
/// Parallel Library, managed threading).
/// </remarks>
public static class AssemblyCheckerRules
{
    public const string BatchRequests = "il-avoid-batch-plugin";
    public const string ParallelExecution = "il-avoid-parallel-plugin";
    public const string AllColumns = "il-specify-column";

    private static readonly HashSet<string> BatchTypes = new(StringComparer.Ordinal)
    {
        "Microsoft.Xrm.Sdk.Messages.ExecuteMultipleRequest", "Microsoft.Xrm.Sdk.Messages.ExecuteTransactionRequest",
        "Microsoft.Xrm.Sdk.Messages.CreateMultipleRequest", "Microsoft.Xrm.Sdk.Messages.UpdateMultipleRequest",
        "Microsoft.Xrm.Sdk.Messages.UpsertMultipleRequest",
    };

    private static readonly HashSet<string> ParallelTypes = new(StringComparer.Ordinal)
    {
        "System.Threading.Tasks.Parallel", "System.Threading.Thread", "System.Threading.ThreadPool", "System.Threading.Tasks.TaskFactory",
    };

    private const byte LdcI4One = 0x17, Call = 0x28, Callvirt = 0x6F, Newobj = 0x73;

    /// <summary>
    /// The findings in the types of <paramref name="assemblyPath"/> whose namespace starts with
    /// <paramref name="rootNamespace"/> (the plugin code and the shared code compiled into it; a test assembly used as
    /// a plugin assembly keeps its other code out).
    /// </summary>
    public static IReadOnlyList<CheckerFinding> Find(string assemblyPath, string rootNamespace)
    {
        using var pe = new PEReader(new MemoryStream(File.ReadAllBytes(assemblyPath), writable: false));
        var reader = pe.GetMetadataReader();

        // The member references each rule looks for, by metadata token.
        var batch = new Dictionary<int, string>();
        var parallel = new Dictionary<int, string>();
        var allColumns = new HashSet<int>();
        foreach (var handle in reader.MemberReferences)
        {
            var member = reader.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference) continue;
            var type = TypeName(reader, (TypeReferenceHandle)member.Parent);
            var name = reader.GetString(member.Name);
            var token = MetadataTokens.GetToken(handle);
            if (BatchTypes.Contains(type)) batch[token] = type;
            if (ParallelTypes.Contains(type) || (type == "System.Threading.Tasks.Task" && name == "Run")) parallel[token] = type + (name == ".ctor" ? "" : "." + name);
            if (type == "Microsoft.Xrm.Sdk.Query.ColumnSet" && (name == "set_AllColumns" || (name == ".ctor" && TakesOneBool(reader, member))))
                allColumns.Add(token);
        }

        var findings = new List<CheckerFinding>();
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            var typeName = TypeName(reader, type);
            if (!(typeName == rootNamespace || typeName.StartsWith(rootNamespace + ".", StringComparison.Ordinal))) continue;
            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0) continue;
                var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes() ?? Array.Empty<byte>();
                var where = $"{typeName}.{reader.GetString(method.Name)}";
                for (var i = 0; i + 4 < il.Length; i++)
                {
                    if (il[i] is not (Call or Callvirt or Newobj)) continue;
                    var token = BitConverter.ToInt32(il, i + 1);
                    if (batch.TryGetValue(token, out var batchType))
                        findings.Add(new CheckerFinding(BatchRequests, where, $"uses {batchType}"));
                    else if (parallel.TryGetValue(token, out var parallelMember))
                        findings.Add(new CheckerFinding(ParallelExecution, where, $"uses {parallelMember}"));
                    else if (allColumns.Contains(token) && i > 0 && il[i - 1] == LdcI4One)
                        findings.Add(new CheckerFinding(AllColumns, where, "asks for all columns (ColumnSet(true) or AllColumns = true)"));
                }
            }
        }
        return findings.Distinct().ToList();
    }

    private static bool TakesOneBool(MetadataReader reader, MemberReference member)
    {
        var blob = reader.GetBlobReader(member.Signature);
        var header = blob.ReadSignatureHeader();
        if (header.Kind != SignatureKind.Method) return false;
        var count = blob.ReadCompressedInteger();
        blob.ReadSignatureTypeCode(); // return type (void)
        return count == 1 && blob.ReadSignatureTypeCode() == SignatureTypeCode.Boolean;
    }

    private static string TypeName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? reader.GetString(type.Name) : ns + "." + reader.GetString(type.Name);
    }

    private static string TypeName(MetadataReader reader, TypeDefinition type)
    {
        var ns = reader.GetString(type.Namespace);
        var name = reader.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil) return TypeName(reader, reader.GetTypeDefinition(declaring)) + "+" + name;
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
