using System.Diagnostics;

namespace EmergencySolution.Packager.Tests;

/// <summary>
/// pac-config/import.sh run for real against a stand-in `pac` that records its arguments (the real CLI needs an
/// org): which flags reach `pac solution import` for a managed and an unmanaged zip.
/// </summary>
[TestClass]
public sealed class ImportScriptTests
{
    private static string[] ImportArguments(params string[] scriptArguments)
    {
        var folder = Directory.CreateTempSubdirectory("import-sh-").FullName;
        try
        {
            var log = Path.Combine(folder, "pac.log");
            var pac = Path.Combine(folder, "pac");
            File.WriteAllText(pac, "#!/usr/bin/env bash\nprintf '%s\\n' \"$*\" >> \"" + log + "\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(pac, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            foreach (var zip in new[] { "EmergencySolution.zip", "EmergencySolution_managed.zip" }) File.WriteAllText(Path.Combine(folder, zip), "zip");

            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(FixtureSolution.RepositoryRoot, "pac-config", "import.sh"));
            foreach (var argument in scriptArguments) start.ArgumentList.Add(argument.Replace("{folder}", folder));
            start.Environment["PATH"] = folder + ":" + Environment.GetEnvironmentVariable("PATH");
            start.Environment.Remove("PAC_APPLICATION_ID");
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.AreEqual(0, process.ExitCode, output);
            return File.ReadAllLines(log).Where(l => l.StartsWith("solution import", StringComparison.Ordinal)).ToArray();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void ManagedImport_StagesAndUpgradesAndSkipsLowerVersions()
    {
        var import = ImportArguments("--environment", "https://contoso.example", "--zip", "{folder}/EmergencySolution_managed.zip").Single().Split(' ');

        CollectionAssert.IsSubsetOf(new[] { "--stage-and-upgrade", "--skip-lower-version", "--activate-plugins", "--publish-changes", "--async", "--settings-file" }, import);
    }

    [TestMethod]
    public void ManagedImport_SameVersion_DropsOnlySkipLowerVersion()
    {
        var import = ImportArguments("--environment", "https://contoso.example", "--zip", "{folder}/EmergencySolution_managed.zip", "--same-version").Single().Split(' ');

        CollectionAssert.Contains(import, "--stage-and-upgrade");
        CollectionAssert.DoesNotContain(import, "--skip-lower-version");
    }

    [TestMethod]
    public void UnmanagedImport_HasNoUpgradeFlags()
    {
        var import = ImportArguments("--environment", "https://contoso.example", "--zip", "{folder}/EmergencySolution.zip").Single().Split(' ');

        CollectionAssert.DoesNotContain(import, "--stage-and-upgrade");
        CollectionAssert.DoesNotContain(import, "--skip-lower-version");
        CollectionAssert.Contains(import, "--activate-plugins");
    }

    [TestMethod]
    public void Workflow_ImportsWithTheSameUpgradeFlags()
    {
        var workflow = File.ReadAllText(Path.Combine(FixtureSolution.RepositoryRoot, ".github", "workflows", "build-and-import.yml"));

        StringAssert.Contains(workflow, "stage-and-upgrade: true");
        StringAssert.Contains(workflow, "skip-lower-version: true");
        StringAssert.Contains(workflow, "activate-plugins: true");
    }
}
