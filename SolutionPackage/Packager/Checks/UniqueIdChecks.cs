using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Checks;

/// <summary>No two components share an id: a clash makes the import update the wrong row.</summary>
public static class UniqueIdChecks
{
    public static void Run(SolutionSource source, CheckReport report)
    {
        var ids = new List<(Guid Id, string File, string What)>();
        foreach (var assembly in source.PluginAssemblies)
        {
            ids.Add((assembly.Id, assembly.File.RelativePath, "plugin assembly"));
            ids.AddRange(assembly.PluginTypes.Select(t => (t.Id, assembly.File.RelativePath, $"plugin type {t.Name}")));
        }
        foreach (var step in source.Steps)
        {
            ids.Add((SolutionSource.ParseGuid((string?)step.Root.Attribute("SdkMessageProcessingStepId")), step.RelativePath, "step"));
            foreach (var image in step.Root.Descendants("SdkMessageProcessingStepImage"))
                ids.Add((SolutionSource.ParseGuid(image.Element("SdkMessageProcessingStepImageId")?.Value), step.RelativePath, $"image {(string?)image.Attribute("Name")}"));
        }
        ids.AddRange(source.WebResources.Select(w => (w.Id, w.DataFile.RelativePath, $"web resource {w.Name}")));
        ids.AddRange(source.Roles.Select(r => (SolutionSource.ParseGuid((string?)r.Root.Attribute("id")), r.RelativePath, $"role {(string?)r.Root.Attribute("name")}")));
        ids.AddRange(source.EmailTemplates.Select(t => (t.Id, source.EmailTemplatesFile!.RelativePath, $"email template {t.Title}")));
        foreach (var table in source.Entities)
        {
            ids.AddRange(table.Views.Where(v => v.Element != null).Select(v => (v.Id, v.File.RelativePath, $"view {v.Name}")));
            ids.AddRange(table.Forms.Where(f => f.Element != null).Select(f => (f.Id, f.File.RelativePath, $"form {f.Name}")));
        }

        foreach (var (id, file, what) in ids.Where(i => i.Id == Guid.Empty))
            report.Fail(file, $"{what} has no valid id");
        foreach (var clash in ids.Where(i => i.Id != Guid.Empty).GroupBy(i => i.Id).Where(g => g.Count() > 1))
        {
            var first = clash.First();
            foreach (var other in clash.Skip(1))
                report.Fail(other.File, $"{other.What} uses id {clash.Key}, already used by {first.What} in {first.File}");
        }

        // Unique names where the platform keys by name.
        foreach (var clash in source.WebResources.GroupBy(w => w.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            report.Fail(clash.Skip(1).First().DataFile.RelativePath, $"web resource name '{clash.Key}' is used twice");
        foreach (var clash in source.CustomApis.GroupBy(a => a.UniqueName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            report.Fail(clash.Skip(1).First().Api.RelativePath, $"custom API uniquename '{clash.Key}' is used twice");
    }
}
