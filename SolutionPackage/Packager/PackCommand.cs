using EmergencySolution.Packager.Building;
using EmergencySolution.Packager.Checks;
using EmergencySolution.Packager.Model;
using EmergencySolution.Packager.Packing;

namespace EmergencySolution.Packager;

/// <summary>The outcome of one run: every failure, and the zips written (path and size) when there were none.</summary>
public sealed record PackResult(IReadOnlyList<CheckFailure> Failures, IReadOnlyList<(string Path, long Size)> Zips, IReadOnlyList<(string What, int Count)> Components)
{
    public bool Succeeded => Failures.Count == 0;
}

/// <summary>Build, check, pack: the packager's main command.</summary>
public static class PackCommand
{
    public static PackResult Run(PackagerOptions given, TextWriter log)
    {
        var options = given.WithDefaults();
        var report = new CheckReport();

        log.WriteLine($"==> Reading {Relative(options, options.SrcDirectory)}");
        var source = SolutionSource.Load(options.SrcDirectory);
        foreach (var failure in source.LoadFailures) report.Fail(failure.File, failure.Reason);

        var assemblyFiles = ResolveAssemblies(options, source, report, log);
        var inspected = new Dictionary<string, InspectedAssembly>(StringComparer.Ordinal);
        foreach (var (name, path) in assemblyFiles)
        {
            if (!File.Exists(path)) continue;
            try { inspected[name] = AssemblyInspector.Inspect(path); }
            catch (BadImageFormatException ex) { report.Fail(Relative(options, path), $"not a readable .NET assembly: {ex.Message}"); }
        }

        log.WriteLine("==> Checking src against the built assemblies and web resources");
        SourceChecks.Run(source, options.PublisherPrefix, report);
        AssemblyChecks.Run(source, inspected, report);
        CheckerRuleChecks.Run(source, assemblyFiles, report);
        StepChecks.Run(source, report);
        SolutionCheckerRules.Run(source, report);
        CustomApiChecks.Run(source, options.PublisherPrefix, report);
        PrivilegeChecks.Run(source, report);
        WebResourceChecks.Run(source, options.WebResourceDist, report);
        ViewAndFormChecks.Run(source, report);
        FormDiffChecks.Run(source, options.WebResourceDist, report);
        UniqueIdChecks.Run(source, report);
        RootComponents.Check(source, options.PublisherPrefix, report);

        log.WriteLine("==> Composing customizations.xml and validating both packages");
        var customizations = CustomizationsComposer.Compose(source);
        var schema = new SchemaCheck(options.SchemaDirectory);
        var shapes = new ShapeCheck(options.ReferenceExportsDirectory);
        var packages = new List<(string FileName, PackageLayout Layout)>();
        foreach (var managed in new[] { false, true })
        {
            var fileName = options.SolutionName + (managed ? "_managed" : "") + ".zip";
            var layout = PackageLayout.Build(source, customizations, managed, assemblyFiles, options.WebResourceDist);
            ValidatePackage(fileName, layout, schema, shapes, report);
            packages.Add((fileName, layout));
        }

        var components = Count(source);
        if (report.HasFailures)
        {
            log.WriteLine();
            log.WriteLine($"FAILED: {report.Failures.Count} check(s) failed; no package was written.");
            foreach (var failure in report.Failures) log.WriteLine($"  {failure}");
            return new PackResult(report.Failures, Array.Empty<(string, long)>(), components);
        }

        var zips = new List<(string, long)>();
        if (options.WriteZips)
        {
            Directory.CreateDirectory(options.OutDirectory);
            foreach (var (fileName, layout) in packages)
            {
                var path = Path.Combine(options.OutDirectory, fileName);
                var bytes = DeterministicZip.Write(layout.Entries);
                File.WriteAllBytes(path, bytes);
                log.WriteLine($"==> Wrote {Relative(options, path)} ({bytes.Length:N0} bytes, {layout.Entries.Count} entries)");
                zips.Add((path, bytes.LongLength));
            }
        }

        log.WriteLine();
        log.WriteLine("Summary: all checks passed.");
        foreach (var (what, count) in components) log.WriteLine($"  {what,-28}{count,5}");
        foreach (var (path, size) in zips) log.WriteLine($"  {Path.GetFileName(path),-28}{size,10:N0} bytes");
        return new PackResult(report.Failures, zips, components);
    }

    /// <summary>Checks both zips' contents as Dataverse will read them: the schema for customizations.xml, the real exports' shapes for the rest.</summary>
    public static void ValidatePackage(string zipName, PackageLayout layout, SchemaCheck schema, ShapeCheck shapes, CheckReport report)
    {
        foreach (var (entry, bytes) in layout.Entries)
        {
            var file = $"{zipName}!/{entry}";
            var name = Path.GetFileName(entry);
            if (entry == PackageLayout.Customizations) schema.Validate(file, bytes, report);
            else if (entry == PackageLayout.Manifest || entry == PackageLayout.ContentTypes) shapes.Compare(entry, file, bytes, report);
            else if (ShapeCheck.Kinds.Contains(name)) shapes.Compare(name, file, bytes, report);
        }
    }

    private static Dictionary<string, string> ResolveAssemblies(PackagerOptions options, SolutionSource source, CheckReport report, TextWriter log)
    {
        var names = source.PluginAssemblies.Select(a => a.AssemblyName).Distinct().ToList();
        if (options.AssemblyFiles != null) return new Dictionary<string, string>(options.AssemblyFiles, StringComparer.Ordinal);

        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var projects = PluginAssemblyBuilder.FindProjects(options.RepositoryRoot, names);
        foreach (var name in names)
        {
            if (!projects.TryGetValue(name, out var project))
            {
                var registration = source.PluginAssemblies.First(a => a.AssemblyName == name);
                report.Fail(registration.File.RelativePath, $"no project in the repository builds assembly '{name}'");
                continue;
            }
            if (options.BuildAssemblies)
            {
                log.WriteLine($"==> Building {name} ({options.Configuration}, {PluginAssemblyBuilder.TargetFramework})");
                var error = PluginAssemblyBuilder.Build(project, options.Configuration, log);
                if (error != null)
                {
                    report.Fail(Relative(options, project), $"build failed:\n{error}");
                    continue;
                }
            }
            files[name] = PluginAssemblyBuilder.OutputPath(project, name, options.Configuration);
        }
        return files;
    }

    public static IReadOnlyList<(string What, int Count)> Count(SolutionSource source) => new List<(string, int)>
    {
        ("tables", source.Entities.Count),
        ("columns (ours)", source.Entities.Sum(e => e.EntityFile.Root.Descendants("attribute").Count(a => a.Element("IsCustomField")?.Value == "1"))),
        ("relationships", source.RelationshipFiles.Sum(f => f.Root.Elements("EntityRelationship").Count())),
        ("security roles", source.Roles.Count),
        ("plugin assemblies", source.PluginAssemblies.Count),
        ("plugin types", source.PluginAssemblies.Sum(a => a.PluginTypes.Count)),
        ("steps", source.Steps.Count),
        ("step images", source.Steps.Sum(s => s.Root.Descendants("SdkMessageProcessingStepImage").Count())),
        ("custom APIs", source.CustomApis.Count),
        ("request parameters", source.CustomApis.Sum(a => a.RequestParameters.Count)),
        ("response properties", source.CustomApis.Sum(a => a.ResponseProperties.Count)),
        ("environment variables", source.EnvironmentVariables.Count),
        ("web resources", source.WebResources.Count),
        ("email templates", source.EmailTemplates.Count),
        ("views", source.Entities.Sum(e => e.Views.Count)),
        ("forms", source.Entities.Sum(e => e.Forms.Count)),
    };

    private static string Relative(PackagerOptions options, string path) => Path.GetRelativePath(options.RepositoryRoot, path).Replace('\\', '/');
}
