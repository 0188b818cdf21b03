using System.Diagnostics;
using System.Xml.Linq;

namespace EmergencySolution.Packager.Building;

/// <summary>Builds each plugin assembly in Release for net462 (what Dataverse runs) and returns the built files by assembly name.</summary>
public static class PluginAssemblyBuilder
{
    public const string TargetFramework = "net462";

    /// <summary>Finds the project of each assembly name: a csproj whose AssemblyName (or file name) is that name.</summary>
    public static IReadOnlyDictionary<string, string> FindProjects(string repositoryRoot, IEnumerable<string> assemblyNames)
    {
        var wanted = new HashSet<string>(assemblyNames, StringComparer.Ordinal);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var project in Directory.EnumerateFiles(repositoryRoot, "*.csproj", SearchOption.AllDirectories)
                     .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !p.Contains("node_modules"))
                     .OrderBy(p => p, StringComparer.Ordinal))
        {
            var assemblyName = XDocument.Load(project).Descendants("AssemblyName").FirstOrDefault()?.Value.Trim()
                               ?? Path.GetFileNameWithoutExtension(project);
            if (wanted.Contains(assemblyName) && !found.ContainsKey(assemblyName)) found[assemblyName] = project;
        }
        return found;
    }

    public static string OutputPath(string project, string assemblyName, string configuration) =>
        Path.Combine(Path.GetDirectoryName(project)!, "bin", configuration, TargetFramework, assemblyName + ".dll");

    /// <summary>Runs `dotnet build` for one project; returns null on success, or the tail of the build output.</summary>
    public static string? Build(string project, string configuration, TextWriter log)
    {
        var error = BuildOnce(project, configuration);
        // A parallel build of the same project (an IDE, another terminal) can hold a file for a moment: try once more.
        if (error != null && (error.Contains("being used by another process", StringComparison.OrdinalIgnoreCase) || error.Contains("MSB3027", StringComparison.Ordinal) || error.Contains("MSB3026", StringComparison.Ordinal)))
        {
            log.WriteLine("    a file was in use; building once more");
            Thread.Sleep(TimeSpan.FromSeconds(3));
            error = BuildOnce(project, configuration);
        }
        return error;
    }

    private static string? BuildOnce(string project, string configuration)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "build", project, "-c", configuration, "-f", TargetFramework, "--nologo", "-v", "q", "-clp:ErrorsOnly",
                     // A CI build wherever it runs; the checkout path is mapped out of the DLL by Directory.Build.targets
                     // (PathMap for Release plugin builds), so a clone in another folder packs the same bytes.
                     "-p:ContinuousIntegrationBuild=true" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode == 0) return null;
        var text = (output.Result + error.Result).Trim();
        var lines = text.Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 20)));
    }
}
