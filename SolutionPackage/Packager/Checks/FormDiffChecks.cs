using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Checks;

/// <summary>
/// A form of a table this solution does not define is a diff of Microsoft's form (Entities/&lt;table&gt;/FormXml/&lt;type&gt;/{id}.xml
/// with &lt;form solutionaction="Modified"&gt;), in the shape real exports of a modified system form take: only what the
/// solution adds, each marked solutionaction="Added". This check holds such a diff to what the package may add to a
/// form it does not own: form libraries and event handlers, nothing else; the form must be one whose id docs/web-resources.md
/// documents with its sources; every library must be a web resource of the package whose built file exists; every
/// handler must name one of the diff's libraries and a member that library's bundle publishes.
/// </summary>
/// <remarks>
/// Microsoft's FormXml.xsd describes whole forms (it requires &lt;tabs&gt;) and declares solutionaction on a few simple
/// elements only, while real diff exports carry it on &lt;form&gt;, &lt;formLibraries&gt;, &lt;Handlers&gt; and others, so the
/// schema check leaves the lines of a form diff to this check (<see cref="FormDiffLineRanges"/>).
/// </remarks>
public static class FormDiffChecks
{
    /// <summary>Microsoft's forms this package may carry a diff of: (table, form id) → the form's name.</summary>
    public static readonly IReadOnlyDictionary<(string Table, Guid FormId), string> DocumentedForms = new Dictionary<(string, Guid), string>
    {
        // "The Customer Summary form is renamed as Active Conversation form" (customer-service docs) and the Customer
        // Summary page is msdyn_ocliveworkitem formid 5fe86453-… in Microsoft's Unified Service Desk guide for Omnichannel.
        [("msdyn_ocliveworkitem", new Guid("5fe86453-73ea-4821-b6dd-ddc06e1755a1"))] = "Active Conversation",
    };

    private static readonly string[] SolutionActions = { "Added", "Modified", "Removed" };

    /// <summary>The children a diff's &lt;form&gt; may have: what the package adds to a form it does not own.</summary>
    private static readonly string[] AllowedInDiff = { "events", "formLibraries" };

    private static readonly Regex Member = new(@"^EmergencySolution\.([A-Za-z]+)\.([A-Za-z]+)$", RegexOptions.CultureInvariant);

    public static void Run(SolutionSource source, string distDirectory, CheckReport report)
    {
        var webResources = new HashSet<string>(source.WebResources.Select(w => w.Name), StringComparer.Ordinal);
        foreach (var table in source.Entities.Where(t => !t.IsDefinedHere))
        {
            foreach (var form in table.Forms)
            {
                var file = form.File.RelativePath;
                var root = form.Element?.Element("form");
                if (root == null) continue; // ViewAndFormChecks reports a file without a form
                if ((string?)root.Attribute("solutionaction") != "Modified")
                {
                    report.Fail(file, $"a form of {table.LogicalName}, a table this solution does not define, must be a diff: <form solutionaction=\"Modified\">");
                    continue;
                }
                if (!DocumentedForms.ContainsKey((table.LogicalName, form.Id)))
                    report.Fail(file, $"form {form.Id} of {table.LogicalName} is not a form whose id docs/web-resources.md documents (FormDiffChecks.DocumentedForms)");
                CheckSolutionActions(file, root, report);
                foreach (var child in root.Elements().Where(e => !AllowedInDiff.Contains(e.Name.LocalName)))
                    report.Fail(file, $"<{child.Name.LocalName}>: a diff of a form the solution does not own may add only form libraries and event handlers");
                var libraries = CheckLibraries(file, root, webResources, distDirectory, report);
                CheckHandlers(file, root, libraries, distDirectory, report);
            }
        }
    }

    /// <summary>The 1-based line ranges of the &lt;systemform&gt; elements of a customizations.xml that are form diffs.</summary>
    public static IReadOnlyList<(int From, int To)> FormDiffLineRanges(byte[] xml)
    {
        var text = Encoding.UTF8.GetString(xml);
        var lines = text.Split('\n');
        var ranges = new List<(int, int)>();
        var start = -1;
        var isDiff = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains("<systemform", StringComparison.Ordinal)) { start = i + 1; isDiff = false; }
            if (start > 0 && lines[i].Contains("<form ", StringComparison.Ordinal) && lines[i].Contains("solutionaction=\"Modified\"", StringComparison.Ordinal)) isDiff = true;
            if (start > 0 && lines[i].Contains("</systemform>", StringComparison.Ordinal))
            {
                if (isDiff) ranges.Add((start, i + 1));
                start = -1;
            }
        }
        return ranges;
    }

    private static void CheckSolutionActions(string file, XElement form, CheckReport report)
    {
        foreach (var element in form.DescendantsAndSelf())
        {
            var action = (string?)element.Attribute("solutionaction");
            if (action != null && !SolutionActions.Contains(action))
                report.Fail(file, $"<{element.Name.LocalName}> solutionaction=\"{action}\": real exports write Added, Modified or Removed");
        }
    }

    private static HashSet<string> CheckLibraries(string file, XElement form, HashSet<string> webResources, string distDirectory, CheckReport report)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var library in form.Elements("formLibraries").Elements("Library"))
        {
            var name = (string?)library.Attribute("name") ?? "";
            names.Add(name);
            if (!Guid.TryParse((string?)library.Attribute("libraryUniqueId"), out _))
                report.Fail(file, $"library '{name}': libraryUniqueId is not a GUID");
            if (!webResources.Contains(name))
                report.Fail(file, $"library '{name}' is not a web resource of this package (WebResources/*.data.xml)");
            else if (!File.Exists(WebResourceChecks.BuiltFile(distDirectory, name)))
                report.Fail(file, $"library '{name}': the built file is missing from WebResources/dist (run the web build)");
        }
        return names;
    }

    private static void CheckHandlers(string file, XElement form, HashSet<string> libraries, string distDirectory, CheckReport report)
    {
        var handlers = form.Elements("events").Elements("event").Elements().Where(e => e.Name.LocalName is "Handlers").Elements("Handler").ToList();
        if (handlers.Count == 0) report.Fail(file, "the diff adds no event handler: a library alone runs nothing");
        foreach (var handler in handlers)
        {
            var function = (string?)handler.Attribute("functionName") ?? "";
            var library = (string?)handler.Attribute("libraryName") ?? "";
            if (!Guid.TryParse((string?)handler.Attribute("handlerUniqueId"), out _))
                report.Fail(file, $"handler '{function}': handlerUniqueId is not a GUID");
            if (!libraries.Contains(library))
            {
                report.Fail(file, $"handler '{function}' names library '{library}', which the diff's formLibraries do not hold");
                continue;
            }
            var match = Member.Match(function);
            if (!match.Success)
            {
                report.Fail(file, $"handler '{function}': the package's handlers are EmergencySolution.<Member>.<function>");
                continue;
            }
            var built = WebResourceChecks.BuiltFile(distDirectory, library);
            if (!File.Exists(built)) continue; // reported with the library
            var bundle = File.ReadAllText(built);
            // The bundles publish one member of the shared EmergencySolution object: publish("<Member>", { <function>: … }).
            var published = bundle.IndexOf("publish(\"" + match.Groups[1].Value + "\"", StringComparison.Ordinal);
            if (published < 0 || bundle.IndexOf(match.Groups[2].Value + ":", published, StringComparison.Ordinal) < 0)
                report.Fail(file, $"handler '{function}': {library} does not publish {match.Groups[1].Value}.{match.Groups[2].Value}");
        }
    }
}
