using System.IO.Compression;
using System.Xml.Linq;
using EmergencySolution.Packager.Tests.FixturePlugins;

namespace EmergencySolution.Packager.Tests;

/// <summary>
/// A private copy of the fixture solution (Fixtures/src + Fixtures/dist) in a temporary folder, which a test may
/// break, plus options that pack it with this test assembly as its plugin assembly.
/// </summary>
public sealed class FixtureSolution : IDisposable
{
    public const string AssemblyFolder = "PluginAssemblies/Packager.Tests-7C1E2B3A-4D5F-4A6B-8C9D-0E1F2A3B4C5D";
    public const string AssemblyDataFile = AssemblyFolder + "/Packager.Tests.dll.data.xml";
    public const string CreateStepFile = "SdkMessageProcessingSteps/{22222222-aaaa-4bbb-8ccc-000000000001}.xml";
    public const string UpdateStepFile = "SdkMessageProcessingSteps/{22222222-aaaa-4bbb-8ccc-000000000002}.xml";
    public const string ActionApiFile = "customapis/emc_DoThing/customapi.xml";
    public const string FunctionApiFolder = "customapis/emc_GetThing";

    public string Root { get; }
    public string Src => Path.Combine(Root, "src");
    public string Dist => Path.Combine(Root, "dist");
    public string Out => Path.Combine(Root, "out");

    public FixtureSolution()
    {
        Root = Path.Combine(Path.GetTempPath(), "packager-tests-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Fixtures"), Root);
    }

    public static string RepositoryRoot => PackagerOptions.FindRepositoryRoot(AppContext.BaseDirectory);

    public PackagerOptions Options() => new()
    {
        RepositoryRoot = Root,
        SrcDirectory = Src,
        WebResourceDist = Dist,
        OutDirectory = Out,
        SchemaDirectory = Path.Combine(RepositoryRoot, "SolutionPackage", "schemas"),
        BuildAssemblies = false,
        AssemblyFiles = new Dictionary<string, string> { ["Packager.Tests"] = typeof(FixtureStepPlugin).Assembly.Location },
    };

    public PackResult Pack()
    {
        var log = new StringWriter();
        var result = PackCommand.Run(Options(), log);
        Log = log.ToString();
        return result;
    }

    public string Log { get; private set; } = "";

    public string ZipPath(bool managed) => Path.Combine(Out, managed ? "EmergencySolution_managed.zip" : "EmergencySolution.zip");

    public string SrcFile(string relative) => Path.Combine(Src, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Loads an src XML file, lets the test change it, and saves it back.</summary>
    public void EditXml(string relative, Action<XElement> edit)
    {
        var path = SrcFile(relative);
        var document = XDocument.Load(path);
        edit(document.Root!);
        document.Save(path);
    }

    public static Dictionary<string, byte[]> ReadZip(string path)
    {
        using var archive = ZipFile.OpenRead(path);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
