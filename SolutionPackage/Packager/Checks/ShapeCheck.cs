using System.Xml.Linq;
using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Checks;

/// <summary>
/// Files no schema covers (solution.xml, [Content_Types].xml, customapis/…, environmentvariabledefinitions/…) are
/// compared element for element with real exports: an element path or attribute that no export of that file kind
/// has is a failure, and so is a missing element path that every export has.
/// </summary>
public sealed class ShapeCheck
{
    /// <summary>Documented columns that the three reference exports happen not to use, each allowed explicitly.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> DocumentedOptionalElements = new Dictionary<string, string[]>
    {
        // environmentvariabledefinition table, column defaultvalue ("Default variable value used when no value is set").
        ["environmentvariabledefinition.xml"] = new[] { "environmentvariabledefinition/defaultvalue" },
        // customapi table, columns executeprivilegename and boundentitylogicalname.
        ["customapi.xml"] = new[] { "customapi/executeprivilegename", "customapi/boundentitylogicalname" },
        // customapirequestparameter / customapiresponseproperty tables, column logicalentityname (Entity/EntityReference types).
        ["customapirequestparameter.xml"] = new[] { "customapirequestparameter/logicalentityname" },
        ["customapiresponseproperty.xml"] = new[] { "customapiresponseproperty/logicalentityname" },
    };

    public static readonly string[] Kinds =
    {
        "solution.xml", "[Content_Types].xml", "customapi.xml", "customapirequestparameter.xml",
        "customapiresponseproperty.xml", "environmentvariabledefinition.xml",
    };

    private readonly Dictionary<string, Shape> shapes = new(StringComparer.Ordinal);

    private sealed record Shape(HashSet<string> Allowed, HashSet<string> Required, Dictionary<string, HashSet<string>> Attributes, HashSet<string> Orders, int ExampleCount);

    public ShapeCheck(string referenceExportsDirectory)
    {
        foreach (var kind in Kinds)
        {
            var examples = Directory.EnumerateFiles(referenceExportsDirectory, kind, SearchOption.AllDirectories)
                .Where(f => string.Equals(Path.GetFileName(f), kind, StringComparison.Ordinal))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => XDocument.Load(f))
                .ToList();
            if (examples.Count == 0) throw new InvalidOperationException($"no reference export has a {kind}");
            var allowed = new HashSet<string>(StringComparer.Ordinal);
            HashSet<string>? required = null;
            var attributes = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            var orders = new HashSet<string>(StringComparer.Ordinal);
            foreach (var example in examples)
            {
                orders.UnionWith(SiblingOrders(example.Root!));
                var paths = Paths(example.Root!).ToList();
                allowed.UnionWith(paths.Select(p => p.Path));
                if (required == null) required = paths.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
                else required.IntersectWith(paths.Select(p => p.Path));
                foreach (var (path, names) in paths)
                {
                    if (!attributes.TryGetValue(path, out var set)) attributes[path] = set = new HashSet<string>(StringComparer.Ordinal);
                    set.UnionWith(names);
                }
            }
            if (DocumentedOptionalElements.TryGetValue(kind, out var extras)) allowed.UnionWith(extras);
            shapes[kind] = new Shape(allowed, required!, attributes, orders, examples.Count);
        }
    }

    public void Compare(string kind, string file, byte[] content, CheckReport report)
    {
        XDocument document;
        try { document = XDocument.Load(new MemoryStream(content)); }
        catch (System.Xml.XmlException ex)
        {
            report.Fail(file, $"not well-formed XML: {ex.Message}");
            return;
        }
        var shape = shapes[kind];
        var paths = Paths(document.Root!).ToList();
        var present = paths.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var path in present.Where(p => !shape.Allowed.Contains(p)).OrderBy(p => p, StringComparer.Ordinal))
            report.Fail(file, $"element <{path}> appears in none of the real exports' {kind} files");
        foreach (var path in shape.Required.Where(p => !present.Contains(p)).OrderBy(p => p, StringComparer.Ordinal))
            report.Fail(file, $"element <{path}> is missing; every real export's {kind} has it");
        // Element order: two siblings that the exports always write the other way round.
        foreach (var order in SiblingOrders(document.Root!).Where(o => !shape.Orders.Contains(o)))
        {
            var parts = order.Split('|');
            if (shape.Orders.Contains($"{parts[0]}|{parts[2]}|{parts[1]}"))
                report.Fail(file, $"element <{parts[1]}> comes before <{parts[2]}> under <{parts[0]}>; the real exports write <{parts[2]}> first");
        }
        foreach (var (path, names) in paths.Where(p => shape.Allowed.Contains(p.Path)))
        {
            shape.Attributes.TryGetValue(path, out var known);
            foreach (var name in names.Where(n => known == null || !known.Contains(n)))
                report.Fail(file, $"attribute {name} on <{path}> appears in none of the real exports' {kind} files");
        }
    }

    /// <summary>"parent path|earlier child|later child" for every pair of differently named siblings.</summary>
    private static IEnumerable<string> SiblingOrders(XElement root)
    {
        foreach (var parent in root.DescendantsAndSelf())
        {
            var path = string.Join('/', parent.AncestorsAndSelf().Reverse().Select(e => e.Name.LocalName));
            var names = parent.Elements().Select(e => e.Name.LocalName).Distinct().ToList();
            for (var i = 0; i < names.Count; i++)
                for (var j = i + 1; j < names.Count; j++)
                    yield return $"{path}|{names[i]}|{names[j]}";
        }
    }

    private static IEnumerable<(string Path, IReadOnlyList<string> Attributes)> Paths(XElement root)
    {
        foreach (var element in root.DescendantsAndSelf())
        {
            var path = string.Join('/', element.AncestorsAndSelf().Reverse().Select(e => e.Name.LocalName));
            var attributes = element.Attributes().Where(a => !a.IsNamespaceDeclaration).Select(a => a.Name.LocalName).ToList();
            yield return (path, attributes);
        }
    }
}
