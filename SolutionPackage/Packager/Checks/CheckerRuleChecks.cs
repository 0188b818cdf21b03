using EmergencySolution.Packager.Building;
using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Checks;

/// <summary>
/// Runs <see cref="AssemblyCheckerRules"/> on each built plugin assembly, over the code under the root namespace of
/// its registered plugin types; every finding fails the build, named with its rule and method.
/// </summary>
public static class CheckerRuleChecks
{
    public static void Run(SolutionSource source, IReadOnlyDictionary<string, string> assemblyFiles, CheckReport report)
    {
        foreach (var registration in source.PluginAssemblies)
        {
            if (!assemblyFiles.TryGetValue(registration.AssemblyName, out var path) || !File.Exists(path)) continue;
            var rootNamespace = registration.PluginTypes.Select(t => t.Name.Split('.')[0]).FirstOrDefault() ?? registration.AssemblyName;
            foreach (var finding in AssemblyCheckerRules.Find(path, rootNamespace))
                report.Fail(registration.File.RelativePath, $"{finding.Rule}: {finding.Method} {finding.What} ({registration.AssemblyName}.dll)");
        }
    }
}
