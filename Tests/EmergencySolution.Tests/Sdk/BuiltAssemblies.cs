using System.Reflection;

namespace EmergencySolution.Tests.Sdk;

/// <summary>Where the builds under test are: the repository's bin folders, in the configuration of this test run.</summary>
internal static class BuiltAssemblies
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Configuration { get; } =
        typeof(BuiltAssemblies).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string StandIn(string targetFramework) =>
        Output("Sdk/Microsoft.Xrm.Sdk", targetFramework, "Microsoft.Xrm.Sdk.dll");

    public static string Plugins(string targetFramework) =>
        Output("Plugins", targetFramework, "EmergencySolution.Plugins.dll");

    public static string CustomApis(string targetFramework) =>
        Output("CustomApis", targetFramework, "EmergencySolution.CustomApis.dll");

    public static string InRepository(string relativePath) =>
        Path.Combine(RepositoryRoot, relativePath.Replace('/', Path.DirectorySeparatorChar));

    private static string Output(string projectFolder, string targetFramework, string fileName)
    {
        var path = InRepository(projectFolder + "/bin/" + Configuration + "/" + targetFramework + "/" + fileName);
        if (!File.Exists(path))
        {
            Assert.Fail("Build output not found: " + path + " (the test project builds the net462 outputs before it compiles).");
        }

        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EmergencySolution.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("EmergencySolution.sln not found above " + AppContext.BaseDirectory);
    }
}
