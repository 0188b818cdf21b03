using EmergencySolution.Packager.Building;

namespace EmergencySolution.Packager.Tests;

/// <summary>
/// The plugin assemblies the zips carry do not depend on where the checkout lies: a copy of the sources in another
/// folder, at another depth and outside git (so SourceLink cannot map paths there), built the way the packager builds
/// them, gives the same bytes as the repository's own build. The packing itself is path-independent too
/// (<see cref="DeterminismTests"/>), so ./build.sh from two folders gives byte-identical zips.
/// </summary>
[TestClass]
public sealed class ReproducibleBuildTests
{
    /// <summary>What building EmergencySolution.Plugins reads: its project, the shared code, the SDK stand-in, the key and the build settings.</summary>
    private static readonly string[] Inputs =
    {
        "Plugins", "Shared", "Sdk/Microsoft.Xrm.Sdk", "build/EmergencySolution.snk",
        "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json",
    };

    [TestMethod]
    public void PluginAssembly_BuiltInAnotherFolderOutsideGit_HasTheSameBytes()
    {
        var assemblies = BuiltRepositoryPackage.BuiltAssemblies();
        var repositoryBuild = assemblies["EmergencySolution.Plugins"];
        var copy = Path.Combine(Path.GetTempPath(), "reproducible-" + Guid.NewGuid().ToString("N"), "another", "checkout");
        try
        {
            foreach (var input in Inputs) CopyWithoutBuildOutput(Path.Combine(FixtureSolution.RepositoryRoot, input), Path.Combine(copy, input));
            var project = Path.Combine(copy, "Plugins", "EmergencySolution.Plugins.csproj");

            var error = PluginAssemblyBuilder.Build(project, BuiltRepositoryPackage.Configuration, TextWriter.Null);

            Assert.IsNull(error, error);
            var copyBuild = PluginAssemblyBuilder.OutputPath(project, "EmergencySolution.Plugins", BuiltRepositoryPackage.Configuration);
            CollectionAssert.AreEqual(File.ReadAllBytes(repositoryBuild), File.ReadAllBytes(copyBuild),
                $"{copyBuild} differs from {repositoryBuild} (if the sources changed since, {BuiltRepositoryPackage.RunBuildFirst})");
            Assert.IsFalse(System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(copyBuild)).Contains(copy, StringComparison.Ordinal), "the build folder is embedded");
        }
        finally
        {
            try { Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(copy))!, recursive: true); } catch (IOException) { }
        }
    }

    private static void CopyWithoutBuildOutput(string source, string target)
    {
        if (File.Exists(source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
            return;
        }
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            var first = relative.Split(Path.DirectorySeparatorChar)[0];
            if (first is "bin" or "obj") continue;
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
