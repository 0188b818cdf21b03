namespace EmergencySolution.Packager;

/// <summary>Where everything is; defaults follow the repository layout.</summary>
public sealed class PackagerOptions
{
    public required string RepositoryRoot { get; init; }
    public string SrcDirectory { get; init; } = "";
    public string SchemaDirectory { get; init; } = "";
    public string ReferenceExportsDirectory { get; init; } = "";
    public string WebResourceDist { get; init; } = "";
    public string OutDirectory { get; init; } = "";
    public string Configuration { get; init; } = "Release";
    public string PublisherPrefix { get; init; } = "emc";
    public string SolutionName { get; init; } = "EmergencySolution";

    /// <summary>Build the plugin assemblies first (false: take what an earlier build left).</summary>
    public bool BuildAssemblies { get; init; } = true;

    /// <summary>Write the zips (false: check only).</summary>
    public bool WriteZips { get; init; } = true;

    /// <summary>Assembly files by assembly name, instead of building the projects (tests use this).</summary>
    public IReadOnlyDictionary<string, string>? AssemblyFiles { get; init; }

    public PackagerOptions WithDefaults()
    {
        var root = Path.GetFullPath(RepositoryRoot);
        var schemas = Or(SchemaDirectory, Path.Combine(root, "SolutionPackage", "schemas"));
        return new PackagerOptions
        {
            RepositoryRoot = root,
            SrcDirectory = Or(SrcDirectory, Path.Combine(root, "SolutionPackage", "src")),
            SchemaDirectory = schemas,
            ReferenceExportsDirectory = Or(ReferenceExportsDirectory, Path.Combine(schemas, "reference-exports")),
            WebResourceDist = Or(WebResourceDist, Path.Combine(root, "WebResources", "dist")),
            OutDirectory = Or(OutDirectory, Path.Combine(root, "out")),
            Configuration = Configuration,
            PublisherPrefix = PublisherPrefix,
            SolutionName = SolutionName,
            BuildAssemblies = BuildAssemblies,
            WriteZips = WriteZips,
            AssemblyFiles = AssemblyFiles,
        };
    }

    private static string Or(string value, string fallback) => string.IsNullOrEmpty(value) ? fallback : Path.GetFullPath(value);

    /// <summary>The nearest folder upwards that holds EmergencySolution.sln.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EmergencySolution.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no EmergencySolution.sln above {start}; pass --repo");
    }
}
