using System.Text;
using System.Xml.Linq;
using EmergencySolution.Packager.Checks;
using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Packing;

/// <summary>The entries of one solution zip, by path, in the layout that Dataverse exports.</summary>
public sealed class PackageLayout
{
    public const string ContentTypes = "[Content_Types].xml";
    public const string Manifest = "solution.xml";
    public const string Customizations = "customizations.xml";

    public SortedDictionary<string, byte[]> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Lays out the zip. Missing inputs (an assembly or web resource file) are left out here; the checks report them.
    /// </summary>
    public static PackageLayout Build(SolutionSource source, XDocument customizations, bool managed,
        IReadOnlyDictionary<string, string> assemblyFiles, string webResourceDist)
    {
        var layout = new PackageLayout();
        layout.Entries[Customizations] = XmlOutput.ToBytes(customizations);
        if (source.SolutionManifest != null) layout.Entries[Manifest] = XmlOutput.ToBytes(ManifestFor(source.SolutionManifest.Document, managed));

        foreach (var assembly in source.PluginAssemblies)
            if (assemblyFiles.TryGetValue(assembly.AssemblyName, out var path) && File.Exists(path))
                layout.Entries[assembly.FileName.TrimStart('/')] = File.ReadAllBytes(path);

        foreach (var folder in new[] { "customapis", "environmentvariabledefinitions" })
        {
            var directory = Path.Combine(source.Directory, folder);
            if (!Directory.Exists(directory)) continue;
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(source.Directory, file).Replace('\\', '/');
                layout.Entries[relative] = file.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)
                    ? XmlOutput.ToBytes(XDocument.Load(file))
                    : File.ReadAllBytes(file);
            }
        }

        foreach (var resource in source.WebResources)
        {
            var built = WebResourceChecks.BuiltFile(webResourceDist, resource.Name);
            if (File.Exists(built)) layout.Entries[resource.FileName.TrimStart('/')] = File.ReadAllBytes(built);
        }

        layout.Entries[ContentTypes] = ContentTypesFor(layout.Entries.Keys);
        return layout;
    }

    /// <summary>The unpacked manifest says Managed 2 ("both"); each zip says 0 (unmanaged) or 1 (managed).</summary>
    public static XDocument ManifestFor(XDocument unpacked, bool managed)
    {
        var manifest = new XDocument(unpacked);
        manifest.DescendantNodes().OfType<XComment>().Remove();
        var element = manifest.Root!.Element("SolutionManifest")?.Element("Managed");
        if (element != null) element.Value = managed ? "1" : "0";
        return manifest;
    }

    /// <summary>As exports write it: a BOM, a declaration, one line, application/octet-stream for xml first, then each other extension.</summary>
    public static byte[] ContentTypesFor(IEnumerable<string> entryNames)
    {
        var extensions = entryNames.Where(n => n != ContentTypes)
            .Select(n => Path.GetExtension(n).TrimStart('.').ToLowerInvariant())
            .Where(e => e.Length > 0 && e != "xml")
            .Distinct().OrderBy(e => e, StringComparer.Ordinal)
            .Prepend("xml");
        var builder = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">");
        foreach (var extension in extensions)
            builder.Append("<Default Extension=\"").Append(extension).Append("\" ContentType=\"application/octet-stream\" />");
        builder.Append("</Types>");
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: true).GetPreamble().Concat(Encoding.UTF8.GetBytes(builder.ToString())).ToArray();
    }
}
