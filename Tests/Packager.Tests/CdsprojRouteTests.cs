using System.Xml.Linq;

namespace EmergencySolution.Packager.Tests;

/// <summary>
/// pac-config/EmergencySolution.cdsproj and map.xml, checked from the folder Microsoft's solution SDK packs in: it
/// copies src to SolutionPackagerMetadataWorkingDirectory (obj/&lt;Configuration&gt;/Metadata under the .cdsproj) and runs
/// SolutionPackager there, so every map path is resolved from that folder. The SDK itself cannot be restored here,
/// so this test resolves the paths as it does, against the files ./build.sh built.
/// </summary>
[TestClass]
public sealed class CdsprojRouteTests
{
    private static string PacConfig => Path.Combine(FixtureSolution.RepositoryRoot, "pac-config");

    private static string MetadataWorkingDirectory(string configuration)
    {
        var project = XDocument.Load(Path.Combine(PacConfig, "EmergencySolution.cdsproj"));
        var value = project.Descendants().Single(e => e.Name.LocalName == "SolutionPackagerMetadataWorkingDirectory").Value;
        var resolved = value.Replace("$(MSBuildThisFileDirectory)", PacConfig + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            .Replace("$(Configuration)", configuration, StringComparison.Ordinal)
            .Replace('\\', Path.DirectorySeparatorChar);
        return Path.GetFullPath(resolved);
    }

    [TestMethod]
    public void Cdsproj_PacksInObjConfigurationMetadata_AndSrcIsItsSolutionRoot()
    {
        var project = XDocument.Load(Path.Combine(PacConfig, "EmergencySolution.cdsproj"));
        string Property(string name) => project.Descendants().Single(e => e.Name.LocalName == name).Value;

        Assert.AreEqual(Path.Combine(PacConfig, "obj", "Release", "Metadata"), MetadataWorkingDirectory("Release"));
        Assert.IsTrue(Directory.Exists(Path.GetFullPath(Path.Combine(PacConfig, Property("SolutionRootPath").Replace('\\', '/')))), "SolutionRootPath");
    }

    [TestMethod]
    public void MapPaths_ResolvedFromTheMetadataFolder_NameTheBuiltFilesAndTheirPlacesInSrc()
    {
        BuiltRepositoryPackage.BuiltAssemblies();
        BuiltRepositoryPackage.AssertWebResourcesBuilt();
        var metadata = MetadataWorkingDirectory("Release");
        var map = XDocument.Load(Path.Combine(PacConfig, "map.xml")).Root!;
        var src = BuiltRepositoryPackage.RealSrc;

        var entries = map.Elements().ToList();
        Assert.IsNotEmpty(entries);
        foreach (var entry in entries)
        {
            var from = ((string)entry.Attribute("map")!).Replace('\\', '/');
            var to = Path.GetFullPath(Path.Combine(metadata, ((string)entry.Attribute("to")!).Replace('\\', '/')));
            switch (entry.Name.LocalName)
            {
                case "FileToFile":
                    Assert.IsTrue(File.Exists(to), $"{entry}: {to} does not exist");
                    Assert.IsTrue(Directory.Exists(Path.Combine(src, Path.GetDirectoryName(from)!)), $"{entry}: src has no folder for {from}");
                    break;
                case "FileToPath":
                    Assert.IsTrue(Directory.Exists(to), $"{entry}: {to} does not exist");
                    var folder = Path.Combine(src, Path.GetDirectoryName(from)!);
                    foreach (var dataFile in Directory.EnumerateFiles(folder, "*.data.xml"))
                        Assert.IsTrue(File.Exists(Path.Combine(to, Path.GetFileName(dataFile)[..^".data.xml".Length])), $"{entry}: the built file of {dataFile} is not in {to}");
                    break;
                default:
                    Assert.Fail($"unexpected map entry {entry.Name}");
                    break;
            }
        }

        // Every registered assembly is mapped in: the SDK would otherwise pack a solution without it.
        foreach (var (folder, name, _) in BuiltRepositoryPackage.RegisteredAssemblies(src))
            Assert.IsTrue(entries.Any(e => ((string)e.Attribute("map")!).Replace('\\', '/') == $"PluginAssemblies/{folder}/{name}.dll"), $"{name} is not mapped");
    }
}
