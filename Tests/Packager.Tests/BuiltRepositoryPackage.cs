using System.Xml.Linq;
using EmergencySolution.Packager.Building;
using EmergencySolution.Packager.Checks;

namespace EmergencySolution.Packager.Tests;

/// <summary>
/// The repository's real SolutionPackage/src with the plugin assemblies and web resource bundles that `./build.sh`
/// built (test.sh runs it before the .NET tests), packed into a temporary folder. Missing build outputs fail the
/// test that asks for them, saying to run ./build.sh: a package test that skips would hide a broken package.
/// </summary>
public sealed class BuiltRepositoryPackage : IDisposable
{
    public const string Configuration = "Release";
    public const string RunBuildFirst = "run ./build.sh first: it builds the plugin assemblies in Release for net462 and the web resources into WebResources/dist, which this test packs";

    public static string RepositoryRoot => FixtureSolution.RepositoryRoot;
    public static string RealSrc => Path.Combine(RepositoryRoot, "SolutionPackage", "src");
    public static string RealDist => Path.Combine(RepositoryRoot, "WebResources", "dist");
    public static string Schemas => Path.Combine(RepositoryRoot, "SolutionPackage", "schemas");

    public string Root { get; }
    public string Out => Path.Combine(Root, "out");

    public BuiltRepositoryPackage()
    {
        Root = Path.Combine(Path.GetTempPath(), "packager-real-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string ZipPath(bool managed) => Path.Combine(Out, managed ? "EmergencySolution_managed.zip" : "EmergencySolution.zip");

    /// <summary>The assembly names the real src registers (PluginAssemblies/*/X.dll.data.xml), read straight from the files.</summary>
    public static IReadOnlyList<(string Folder, string AssemblyName, XElement Data)> RegisteredAssemblies(string src) =>
        Directory.EnumerateFiles(Path.Combine(src, "PluginAssemblies"), "*.dll.data.xml", SearchOption.AllDirectories)
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(Path.GetDirectoryName(f)!), Path.GetFileName(f)[..^".dll.data.xml".Length], XDocument.Load(f).Root!))
            .ToList();

    /// <summary>The built Release net462 plugin assemblies by name; fails (never skips) when one is missing.</summary>
    public static IReadOnlyDictionary<string, string> BuiltAssemblies()
    {
        var names = RegisteredAssemblies(RealSrc).Select(a => a.AssemblyName).ToList();
        Assert.IsNotEmpty(names, "SolutionPackage/src registers no plugin assembly");
        var projects = PluginAssemblyBuilder.FindProjects(RepositoryRoot, names);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!projects.TryGetValue(name, out var project)) Assert.Fail($"no project in the repository builds the registered assembly '{name}'");
            var built = PluginAssemblyBuilder.OutputPath(project, name, Configuration);
            if (!File.Exists(built)) Assert.Fail($"{Path.GetRelativePath(RepositoryRoot, built)} does not exist: {RunBuildFirst}");
            files[name] = built;
        }
        return files;
    }

    /// <summary>Fails (never skips) when a registered web resource has no built file in WebResources/dist.</summary>
    public static void AssertWebResourcesBuilt()
    {
        foreach (var dataFile in Directory.EnumerateFiles(Path.Combine(RealSrc, "WebResources"), "*.data.xml", SearchOption.AllDirectories))
        {
            var name = XDocument.Load(dataFile).Root!.Element("Name")!.Value.Trim();
            var built = WebResourceChecks.BuiltFile(RealDist, name);
            if (!File.Exists(built)) Assert.Fail($"WebResources/dist/{name} does not exist: {RunBuildFirst}");
        }
    }

    /// <summary>Packs src + dist with the given assembly files into this package's out folder; asserts every check passed.</summary>
    public PackResult Pack(string src, string dist, IReadOnlyDictionary<string, string> assemblies, string? outDirectory = null)
    {
        var log = new StringWriter();
        var result = PackCommand.Run(new PackagerOptions
        {
            RepositoryRoot = RepositoryRoot,
            SrcDirectory = src,
            WebResourceDist = dist,
            OutDirectory = outDirectory ?? Out,
            SchemaDirectory = Schemas,
            BuildAssemblies = false,
            AssemblyFiles = assemblies,
        }, log);
        if (!result.Succeeded) Assert.Fail("the real SolutionPackage/src must pack with the built assemblies and web resources:\n" + log + StaleBuildHint());
        return result;
    }

    /// <summary>
    /// Names the build outputs that are older than their sources: a plugin type registered since the last build is
    /// "missing" from the built assembly until ./build.sh runs again, and the failure should say so.
    /// </summary>
    public static string StaleBuildHint()
    {
        static DateTime NewestSource(string directory) => Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                            && !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}dist{Path.DirectorySeparatorChar}"))
                .Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.MinValue).Max()
            : DateTime.MinValue;

        var stale = new List<string>();
        var names = RegisteredAssemblies(RealSrc).Select(a => a.AssemblyName).ToList();
        foreach (var (name, project) in PluginAssemblyBuilder.FindProjects(RepositoryRoot, names))
        {
            var built = PluginAssemblyBuilder.OutputPath(project, name, Configuration);
            var newest = new[] { NewestSource(Path.GetDirectoryName(project)!), NewestSource(Path.Combine(RepositoryRoot, "Shared")) }.Max();
            if (File.Exists(built) && File.GetLastWriteTimeUtc(built) < newest) stale.Add(Path.GetRelativePath(RepositoryRoot, built));
        }
        return stale.Count == 0 ? "" : $"\nOlder than their sources: {string.Join(", ", stale)}; {RunBuildFirst}.";
    }

    /// <summary>Packs the real src and dist with the built assemblies, after checking that the build outputs exist.</summary>
    public PackResult PackReal()
    {
        var assemblies = BuiltAssemblies();
        AssertWebResourcesBuilt();
        return Pack(RealSrc, RealDist, assemblies);
    }

    /// <summary>
    /// Copies a folder tree so that nothing but the contents is the same: directories and files are created in reverse
    /// order, and every file and directory gets its own modification (and access) time, none of them the original's.
    /// </summary>
    public static void CopyReorderedWithOtherTimes(string from, string to, DateTime firstTimeUtc)
    {
        var directories = Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories)
            .OrderByDescending(d => d, StringComparer.Ordinal).ToList();
        var files = Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories)
            .OrderByDescending(f => f, StringComparer.Ordinal).ToList();
        Directory.CreateDirectory(to);
        foreach (var directory in directories) Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        var time = firstTimeUtc;
        foreach (var file in files)
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            time = time.AddHours(7).AddSeconds(13);
            File.SetLastWriteTimeUtc(target, time);
            File.SetLastAccessTimeUtc(target, time);
        }
        foreach (var directory in directories.Prepend(from))
        {
            time = time.AddDays(3);
            Directory.SetLastWriteTimeUtc(Path.Combine(to, Path.GetRelativePath(from, directory)), time);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
