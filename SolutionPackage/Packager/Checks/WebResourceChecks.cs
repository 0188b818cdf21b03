using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Checks;

/// <summary>Each WebResources/**/*.data.xml has its built file in WebResources/dist, a matching type and FileName.</summary>
public static class WebResourceChecks
{
    /// <summary>webresourcetype by file extension (1 HTML, 2 CSS, 3 JScript, 4 XML, 5 PNG, 6 JPG, 7 GIF, 9 XSL, 10 ICO, 11 SVG, 12 RESX).</summary>
    public static readonly IReadOnlyDictionary<string, int> TypeByExtension = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = 1, [".htm"] = 1, [".css"] = 2, [".js"] = 3, [".xml"] = 4, [".png"] = 5, [".jpg"] = 6, [".jpeg"] = 6,
        [".gif"] = 7, [".xsl"] = 9, [".xslt"] = 9, [".ico"] = 10, [".svg"] = 11, [".resx"] = 12,
    };

    public static string BuiltFile(string distDirectory, string name) => Path.Combine(distDirectory, name.Replace('/', Path.DirectorySeparatorChar));

    public static void Run(SolutionSource source, string distDirectory, CheckReport report)
    {
        foreach (var resource in source.WebResources)
        {
            var file = resource.DataFile.RelativePath;
            var expectedName = file["WebResources/".Length..^".data.xml".Length];
            if (!string.Equals(resource.Name, expectedName, StringComparison.Ordinal))
                report.Fail(file, $"Name '{resource.Name}' differs from its path '{expectedName}'");
            if (!string.Equals(resource.FileName, "/WebResources/" + resource.Name, StringComparison.Ordinal))
                report.Fail(file, $"FileName '{resource.FileName}', expected '/WebResources/{resource.Name}'");
            if (resource.Id == Guid.Empty)
                report.Fail(file, "WebResourceId is missing or not a GUID");
            if (TypeByExtension.TryGetValue(Path.GetExtension(resource.Name), out var expectedType) && expectedType != resource.Type)
                report.Fail(file, $"WebResourceType {resource.Type} does not fit the extension of '{resource.Name}' (expected {expectedType})");
            if (!File.Exists(BuiltFile(distDirectory, resource.Name)))
                report.Fail(file, $"the built file WebResources/dist/{resource.Name} is missing (run `npm run build` in WebResources)");
        }

        // A ribbon rule that calls a script must find that script in the solution.
        var names = source.WebResources.Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var entity in source.Entities.Where(e => e.RibbonDiff != null))
        {
            foreach (var library in entity.RibbonDiff!.Root.Descendants().Select(e => (string?)e.Attribute("Library")).OfType<string>())
            {
                const string prefix = "$webresource:";
                if (!library.StartsWith(prefix, StringComparison.Ordinal)) continue;
                var referenced = library[prefix.Length..];
                var isOurs = referenced.StartsWith("emc_", StringComparison.Ordinal);
                if (isOurs && !names.Contains(referenced))
                    report.Fail(entity.RibbonDiff.RelativePath, $"Library '{library}' names a web resource that is not in WebResources/");
            }
        }
    }
}
