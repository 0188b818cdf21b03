using System.Xml.Linq;
using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Checks;

/// <summary>One RootComponent line of solution.xml.</summary>
public sealed record RootComponent(int Type, string? SchemaName, Guid? Id, int Behavior)
{
    /// <summary>What identifies the component: the id when it has one, otherwise the schema name.</summary>
    public string Key => Id is { } id ? $"{Type}:{id}" : $"{Type}:{SchemaName?.ToLowerInvariant()}";

    public XElement ToXml()
    {
        var element = new XElement("RootComponent", new XAttribute("type", Type));
        if (Id is { } id) element.Add(new XAttribute("id", "{" + id + "}"));
        if (SchemaName != null) element.Add(new XAttribute("schemaName", SchemaName));
        element.Add(new XAttribute("behavior", Behavior));
        return element;
    }

    public override string ToString() => ToXml().ToString(SaveOptions.DisableFormatting);
}

/// <summary>
/// The RootComponents that src's components call for, derived from the component files so that registration has
/// one home. Component types: 1 table, 20 role, 36 email template, 61 web resource, 91 plugin assembly,
/// 92 step, 380 environment variable definition. Custom APIs get none: a custom API root component breaks the import.
/// </summary>
public static class RootComponents
{
    public const int Entity = 1, Role = 20, EmailTemplate = 36, WebResource = 61, PluginAssembly = 91, Step = 92, EnvironmentVariable = 380;

    public static IReadOnlyList<RootComponent> Expected(SolutionSource source, string publisherPrefix)
    {
        var list = new List<RootComponent>();
        foreach (var entity in source.Entities)
        {
            // Our tables come whole (behavior 0); Microsoft's tables only as a shell holding our column or ribbon (2).
            var ours = entity.LogicalName.StartsWith(publisherPrefix + "_", StringComparison.Ordinal);
            list.Add(new RootComponent(Entity, entity.LogicalName, null, ours ? 0 : 2));
        }
        list.AddRange(source.Roles.Select(r => new RootComponent(Role, null, SolutionSource.ParseGuid((string?)r.Root.Attribute("id")), 0)));
        list.AddRange(source.EmailTemplates.Select(t => new RootComponent(EmailTemplate, null, t.Id, 0)));
        list.AddRange(source.WebResources.Select(w => new RootComponent(WebResource, w.Name, null, 0)));
        list.AddRange(source.PluginAssemblies.Select(a => new RootComponent(PluginAssembly, a.FullName, a.Id, 0)));
        list.AddRange(source.Steps.Select(s => new RootComponent(Step, null, SolutionSource.ParseGuid((string?)s.Root.Attribute("SdkMessageProcessingStepId")), 0)));
        list.AddRange(source.EnvironmentVariables.Select(v => new RootComponent(EnvironmentVariable, (string?)v.Root.Attribute("schemaname"), null, 0)));
        return list.OrderBy(c => c.Type).ThenBy(c => c.SchemaName ?? c.Id.ToString(), StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<RootComponent> Declared(SourceXml manifest) =>
        manifest.Root.Descendants("RootComponent").Select(e => new RootComponent(
            int.TryParse((string?)e.Attribute("type"), out var type) ? type : -1,
            (string?)e.Attribute("schemaName"),
            e.Attribute("id") is { } id ? SolutionSource.ParseGuid(id.Value) : null,
            int.TryParse((string?)e.Attribute("behavior"), out var behavior) ? behavior : 0)).ToList();

    public static void Check(SolutionSource source, string publisherPrefix, CheckReport report)
    {
        if (source.SolutionManifest == null) return;
        var file = source.SolutionManifest.RelativePath;
        var expected = Expected(source, publisherPrefix);
        var declared = Declared(source.SolutionManifest);
        var apiNames = source.CustomApis.Select(a => a.UniqueName).ToHashSet(StringComparer.OrdinalIgnoreCase);

        foreach (var component in declared.Where(c => c.SchemaName != null && apiNames.Contains(c.SchemaName)))
            report.Fail(file, $"RootComponent for custom API '{component.SchemaName}' must be removed: custom API root components break imports");
        var expectedKeys = expected.ToDictionary(c => c.Key);
        var declaredKeys = declared.GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.First());
        foreach (var missing in expected.Where(c => !declaredKeys.ContainsKey(c.Key)))
            report.Fail(file, $"RootComponents lacks {missing} (run ./build.sh sync-root-components)");
        foreach (var extra in declared.Where(c => !expectedKeys.ContainsKey(c.Key) && !(c.SchemaName != null && apiNames.Contains(c.SchemaName))))
            report.Fail(file, $"RootComponent {extra} names no component in src");
        foreach (var both in declared.Where(c => expectedKeys.TryGetValue(c.Key, out var e) && (e.Behavior != c.Behavior || !string.Equals(e.SchemaName, c.SchemaName, StringComparison.Ordinal))))
            report.Fail(file, $"RootComponent {both} should read {expectedKeys[both.Key]}");
    }

    /// <summary>Rewrites Other/Solution.xml's RootComponents from the component files (the sync-root-components command).</summary>
    public static void Sync(SolutionSource source, string publisherPrefix)
    {
        if (source.SolutionManifest == null) throw new InvalidOperationException("Other/Solution.xml is missing");
        var document = source.SolutionManifest.Document;
        var container = document.Root!.Element("SolutionManifest")!.Element("RootComponents")
                        ?? throw new InvalidOperationException("Other/Solution.xml has no RootComponents element");
        container.RemoveNodes();
        foreach (var component in Expected(source, publisherPrefix)) container.Add(component.ToXml());
        Packing.XmlOutput.Save(document, source.FullPath(source.SolutionManifest.RelativePath));
    }
}
