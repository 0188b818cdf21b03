using System.Diagnostics;
using System.IO.Compression;
using EmergencySolution.Packager.Building;
using EmergencySolution.Packager.Packing;

namespace EmergencySolution.Packager.Tests;

/// <summary>
/// Reproducible zips. The whole proof is <c>build/check-reproducible.sh</c>, a step of test.sh (counted in its closing
/// line): the whole ./build.sh in two clean copies of the repository in two different folders (one checked out as Git
/// for Windows does, with a space in its path, under another time zone and locale), both zips compared byte for byte.
/// It takes one to four minutes, so it is not run here, on every run of this project; here are its two parts that
/// are quick: the comparison, which names the entries that differ, and the plugin assembly built in another folder
/// outside git, which gives a quick answer while a change is being made.
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

    /// <summary>Two entries of a package, as the copies' zips hold them when they agree.</summary>
    private static readonly IReadOnlyDictionary<string, string> Entries =
        new Dictionary<string, string> { ["[Content_Types].xml"] = "<Types />", ["solution.xml"] = "<ImportExportXml />" };

    private static string CheckScript => Path.Combine(FixtureSolution.RepositoryRoot, "build", "check-reproducible.sh");

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

    [TestMethod]
    public void CheckScript_SameZips_PassesBothChecks()
    {
        using var builds = new TwoBuildOutputs();
        builds.WriteZips(builds.First, Entries, Entries);
        builds.WriteZips(builds.Second, Entries, Entries);

        var (exitCode, output) = builds.Compare();

        Assert.AreEqual(0, exitCode, output);
        StringAssert.Contains(output, "IDENTICAL EmergencySolution.zip");
        StringAssert.Contains(output, "IDENTICAL EmergencySolution_managed.zip");
        StringAssert.EndsWith(output.TrimEnd(), "REPRODUCIBLE-SUMMARY passed=2 failed=0");
    }

    [TestMethod]
    public void CheckScript_ZipsThatDiffer_FailAndNameTheEntriesThatDiffer()
    {
        using var builds = new TwoBuildOutputs();
        var changed = new Dictionary<string, string>(Entries) { ["solution.xml"] = "<ImportExportXml version=\"2\" />", ["extra.xml"] = "<x />" };
        builds.WriteZips(builds.First, Entries, Entries);
        builds.WriteZips(builds.Second, Entries, changed);

        var (exitCode, output) = builds.Compare();

        Assert.AreEqual(1, exitCode, output);
        StringAssert.Contains(output, "IDENTICAL EmergencySolution.zip");
        StringAssert.Contains(output, "DIFFERS EmergencySolution_managed.zip");
        StringAssert.Contains(output, "differs: solution.xml");
        StringAssert.Contains(output, "only in the second copy: extra.xml");
        Assert.IsFalse(output.Contains("differs: [Content_Types].xml", StringComparison.Ordinal), output);
        StringAssert.EndsWith(output.TrimEnd(), "REPRODUCIBLE-SUMMARY passed=1 failed=1");
    }

    [TestMethod]
    public void CheckScript_SameEntriesOtherTimestamps_FailsAndSaysTheZipItselfDiffers()
    {
        using var builds = new TwoBuildOutputs();
        builds.WriteZips(builds.First, Entries, Entries);
        builds.WriteZips(builds.Second, Entries, Entries, new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));

        var (exitCode, output) = builds.Compare();

        Assert.AreEqual(1, exitCode, output);
        StringAssert.Contains(output, "the zip itself differs");
        StringAssert.EndsWith(output.TrimEnd(), "REPRODUCIBLE-SUMMARY passed=0 failed=2");
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

    /// <summary>Two folders standing for two copies' build output (each with out/*.zip), compared by the check script.</summary>
    private sealed class TwoBuildOutputs : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "reproducible-compare-" + Guid.NewGuid().ToString("N"));

        public string First => Path.Combine(_root, "first");
        public string Second => Path.Combine(_root, "second copy");

        public void WriteZips(string copy, IReadOnlyDictionary<string, string> unmanaged, IReadOnlyDictionary<string, string> managed, DateTimeOffset? timestamp = null)
        {
            Directory.CreateDirectory(Path.Combine(copy, "out"));
            WriteZip(Path.Combine(copy, "out", "EmergencySolution.zip"), unmanaged, timestamp);
            WriteZip(Path.Combine(copy, "out", "EmergencySolution_managed.zip"), managed, timestamp);
        }

        public (int ExitCode, string Output) Compare()
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { CheckScript, "--compare", First, Second }) start.ArgumentList.Add(argument);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error.Result);
        }

        public void Dispose()
        {
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        }

        /// <summary>The packager's own zip writer; with a timestamp, the same entries stamped at that time instead.</summary>
        private static void WriteZip(string path, IReadOnlyDictionary<string, string> entries, DateTimeOffset? timestamp)
        {
            var bytes = entries.ToDictionary(e => e.Key, e => System.Text.Encoding.UTF8.GetBytes(e.Value));
            File.WriteAllBytes(path, DeterministicZip.Write(bytes));
            if (timestamp is not { } stamped) return;
            using var archive = ZipFile.Open(path, ZipArchiveMode.Update);
            foreach (var entry in archive.Entries) entry.LastWriteTime = stamped;
        }
    }
}
