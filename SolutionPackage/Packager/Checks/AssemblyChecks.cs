using EmergencySolution.Packager.Building;
using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Checks;

/// <summary>The registrations in PluginAssemblies/*.dll.data.xml against the built assemblies.</summary>
public static class AssemblyChecks
{
    public static void Run(SolutionSource source, IReadOnlyDictionary<string, InspectedAssembly> built, CheckReport report)
    {
        foreach (var registration in source.PluginAssemblies)
        {
            var file = registration.File.RelativePath;
            var expectedFolder = $"{registration.AssemblyName}-{registration.Id.ToString().ToUpperInvariant()}";
            if (!string.Equals(registration.FolderName, expectedFolder, StringComparison.Ordinal))
                report.Fail(file, $"folder is '{registration.FolderName}', expected '{expectedFolder}' (assembly name and PluginAssemblyId in upper case)");
            var expectedFileName = $"/PluginAssemblies/{expectedFolder}/{registration.AssemblyName}.dll";
            if (!string.Equals(registration.FileName, expectedFileName, StringComparison.Ordinal))
                report.Fail(file, $"FileName is '{registration.FileName}', expected '{expectedFileName}'");

            if (!built.TryGetValue(registration.AssemblyName, out var assembly))
            {
                report.Fail(file, $"no built assembly '{registration.AssemblyName}.dll' to check the registration against");
                continue;
            }
            if (assembly.SignatureProblem != null)
                report.Fail(file, $"the built {registration.AssemblyName}.dll is not validly strong-name signed: {assembly.SignatureProblem} (Dataverse refuses it)");
            if (!string.Equals(assembly.FullName, registration.FullName, StringComparison.Ordinal))
                report.Fail(file, $"FullName '{registration.FullName}' does not match the built assembly '{assembly.FullName}' (name, version, culture and public key token must all match)");

            foreach (var pluginType in registration.PluginTypes)
            {
                var expectedQualifiedName = $"{pluginType.Name}, {registration.FullName}";
                if (!string.Equals(pluginType.AssemblyQualifiedName, expectedQualifiedName, StringComparison.Ordinal))
                    report.Fail(file, $"plugin type {pluginType.Name}: AssemblyQualifiedName is '{pluginType.AssemblyQualifiedName}', expected '{expectedQualifiedName}'");
                if (!assembly.Types.TryGetValue(pluginType.Name, out var type))
                {
                    report.Fail(file, $"plugin type {pluginType.Name} ({pluginType.Id}) does not exist in the built {registration.AssemblyName}.dll");
                    continue;
                }
                if (!type.IsClass || type.IsAbstract || !type.IsPublic)
                    report.Fail(file, $"plugin type {pluginType.Name} must be a public, non-abstract class for Dataverse to create it");
                if (!type.ImplementsIPlugin)
                    report.Fail(file, $"plugin type {pluginType.Name} does not implement Microsoft.Xrm.Sdk.IPlugin");
            }
        }
    }
}
