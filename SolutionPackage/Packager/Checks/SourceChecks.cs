using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Checks;

/// <summary>Checks of src that need no build output: the manifest, tables, relationships, roles, templates, environment variables.</summary>
public static class SourceChecks
{
    public const string TemplateTitleVariable = "emc_NotificationTemplateTitle";

    public static void Run(SolutionSource source, string publisherPrefix, CheckReport report)
    {
        CheckManifest(source, publisherPrefix, report);
        CheckRelationships(source, report);
        CheckTables(source, report);
        CheckRoles(source, report);
        CheckTemplates(source, report);
        CheckEnvironmentVariables(source, publisherPrefix, report);
    }

    private static void CheckManifest(SolutionSource source, string publisherPrefix, CheckReport report)
    {
        if (source.SolutionManifest == null) return;
        var file = source.SolutionManifest.RelativePath;
        var manifest = source.SolutionManifest.Root.Element("SolutionManifest");
        if (manifest == null)
        {
            report.Fail(file, "no SolutionManifest element");
            return;
        }
        if (!System.Version.TryParse(manifest.Element("Version")?.Value.Trim(), out var version) || version.Revision < 0)
            report.Fail(file, $"Version '{manifest.Element("Version")?.Value}' is not a four-part version (major.minor.build.revision)");
        var prefix = manifest.Element("Publisher")?.Element("CustomizationPrefix")?.Value.Trim();
        if (prefix != publisherPrefix)
            report.Fail(file, $"CustomizationPrefix '{prefix}' is not the publisher prefix '{publisherPrefix}'");
        var optionPrefix = manifest.Element("Publisher")?.Element("CustomizationOptionValuePrefix")?.Value.Trim();
        if (!int.TryParse(optionPrefix, out var option) || option < 10000 || option > 99999)
            report.Fail(file, $"CustomizationOptionValuePrefix '{optionPrefix}' must be between 10000 and 99999");
    }

    private static void CheckRelationships(SolutionSource source, CheckReport report)
    {
        var defined = source.RelationshipFiles.SelectMany(f => f.Root.Elements("EntityRelationship").Select(r => ((string?)r.Attribute("Name") ?? "", f.RelativePath))).ToList();
        foreach (var clash in defined.GroupBy(d => d.Item1).Where(g => g.Count() > 1))
            report.Fail(clash.Last().RelativePath, $"relationship '{clash.Key}' is defined twice");
        if (source.RelationshipIndex == null)
        {
            if (defined.Count > 0) report.Fail("Other/Relationships.xml", "missing: it lists the relationships defined in Other/Relationships/");
            return;
        }
        var listed = source.RelationshipIndex.Root.Elements("EntityRelationship").Select(r => (string?)r.Attribute("Name") ?? "").ToHashSet(StringComparer.Ordinal);
        foreach (var (name, file) in defined.Where(d => !listed.Contains(d.Item1)))
            report.Fail(source.RelationshipIndex.RelativePath, $"relationship '{name}' (defined in {file}) is not listed");
        var definedNames = defined.Select(d => d.Item1).ToHashSet(StringComparer.Ordinal);
        foreach (var name in listed.Where(n => !definedNames.Contains(n)))
            report.Fail(source.RelationshipIndex.RelativePath, $"relationship '{name}' is listed but defined in no Other/Relationships/*.xml");
    }

    /// <summary>Lookups and their relationships go together (a lookup without one fails the import), and our choices use the publisher's option value prefix.</summary>
    private static void CheckTables(SolutionSource source, CheckReport report)
    {
        var optionPrefix = int.TryParse(source.SolutionManifest?.Root.Descendants("CustomizationOptionValuePrefix").FirstOrDefault()?.Value.Trim(), out var p) ? p : (int?)null;
        var relationships = source.RelationshipFiles
            .SelectMany(f => f.Root.Elements("EntityRelationship").Select(r => (File: f.RelativePath, Name: (string?)r.Attribute("Name") ?? "",
                Referencing: r.Element("ReferencingEntityName")?.Value.Trim().ToLowerInvariant() ?? "",
                Attribute: r.Element("ReferencingAttributeName")?.Value.Trim().ToLowerInvariant() ?? "")))
            .ToList();
        var entities = source.Entities.ToDictionary(e => e.LogicalName);

        foreach (var entity in source.Entities)
        {
            var file = entity.EntityFile.RelativePath;
            foreach (var attribute in entity.EntityFile.Root.Descendants("attribute"))
            {
                var name = attribute.Element("LogicalName")?.Value.Trim() ?? (string?)attribute.Attribute("PhysicalName") ?? "";
                if (attribute.Element("Type")?.Value.Trim() == "lookup" && !relationships.Any(r => r.Referencing == entity.LogicalName && r.Attribute == name))
                    report.Fail(file, $"lookup {name} has no relationship in Other/Relationships/*.xml (ReferencingEntityName {entity.LogicalName}, ReferencingAttributeName {name})");
                if (optionPrefix is { } prefix && attribute.Element("IsCustomField")?.Value.Trim() == "1")
                    foreach (var option in attribute.Descendants("option"))
                        if (!int.TryParse((string?)option.Attribute("value"), out var value) || value / 10000 != prefix)
                            report.Fail(file, $"choice {name}: option value {(string?)option.Attribute("value")} does not start with the publisher's option value prefix {prefix}");
            }
        }

        foreach (var relationship in relationships)
        {
            if (!entities.TryGetValue(relationship.Referencing, out var referencing)) continue;
            var lookup = referencing.EntityFile.Root.Descendants("attribute")
                .FirstOrDefault(a => string.Equals(a.Element("LogicalName")?.Value.Trim(), relationship.Attribute, StringComparison.OrdinalIgnoreCase));
            if (lookup == null || lookup.Element("Type")?.Value.Trim() != "lookup")
                report.Fail(relationship.File, $"relationship {relationship.Name}: {relationship.Referencing} has no lookup column {relationship.Attribute}");
        }
    }

    private static void CheckRoles(SolutionSource source, CheckReport report)
    {
        foreach (var role in source.Roles)
        {
            if (role.Root.Name.LocalName != "Role") report.Fail(role.RelativePath, $"root element is <{role.Root.Name.LocalName}>, expected <Role>");
            var name = (string?)role.Root.Attribute("name");
            if (!string.Equals(name + ".xml", Path.GetFileName(role.RelativePath), StringComparison.Ordinal))
                report.Fail(role.RelativePath, $"role name '{name}' differs from its file name");
            foreach (var clash in role.Root.Descendants("RolePrivilege").GroupBy(p => (string?)p.Attribute("name")).Where(g => g.Count() > 1))
                report.Fail(role.RelativePath, $"privilege '{clash.Key}' is listed twice");
        }
    }

    private static void CheckTemplates(SolutionSource source, CheckReport report)
    {
        var file = source.EmailTemplatesFile?.RelativePath ?? "Templates/EmailTemplates.xml";
        foreach (var template in source.EmailTemplates)
        {
            if (template.TemplateTable == null)
                report.Fail(file, $"template '{template.Title}': templatetypecode '{template.TemplateTypeCode}' is not the object type code of a table ({string.Join(", ", EmailTemplateDefinition.TablesByObjectTypeCode.Select(t => $"{t.Key} {t.Value}"))}); real exports write the number, 8 for systemuser");
            var idAttribute = SolutionSource.ParseGuid((string?)template.Element.Attribute("id"));
            if (idAttribute != Guid.Empty && idAttribute != template.Id)
                report.Fail(file, $"template '{template.Title}': id attribute {idAttribute} differs from templateid {template.Id}");
            if (template.SubjectFile == null)
                report.Fail(file, $"template '{template.Title}': Templates/EmailDocuments/<languagecode>/{{{template.Id}}}/subject.xsl is missing");
            if (template.BodyFile == null)
                report.Fail(file, $"template '{template.Title}': Templates/EmailDocuments/<languagecode>/{{{template.Id}}}/body.xsl is missing");
            CheckPresentationDocuments(source, template, report);
        }

        // The notification looks its template up by the title in the environment variable; it must ship with the solution.
        var titleVariable = source.EnvironmentVariables.FirstOrDefault(v => (string?)v.Root.Attribute("schemaname") == TemplateTitleVariable);
        var title = titleVariable?.Root.Element("defaultvalue")?.Value.Trim();
        if (!string.IsNullOrEmpty(title) && source.EmailTemplates.All(t => t.Title != title))
            report.Fail(file, $"no email template titled '{title}' (the default of {TemplateTitleVariable}); the solution must ship it");
    }

    /// <summary>
    /// presentationxml.xml and subjectpresentationxml.xml are what the template editor edits: real exports write a
    /// &lt;template&gt; of &lt;text&gt; (CDATA) and &lt;slugs&gt; (dynamic fields). They are packed as XML, so they must parse.
    /// </summary>
    private static void CheckPresentationDocuments(SolutionSource source, EmailTemplateDefinition template, CheckReport report)
    {
        foreach (var (name, relative) in template.Documents.Where(d => d.Key.EndsWith("presentationxml", StringComparison.Ordinal)))
        {
            try
            {
                var root = System.Xml.Linq.XElement.Parse(File.ReadAllText(source.FullPath(relative)));
                var unexpected = root.Elements().Select(e => e.Name.LocalName).FirstOrDefault(n => n != "text" && n != "slugs");
                if (root.Name.LocalName != "template" || unexpected != null)
                    report.Fail(relative, $"template '{template.Title}': {name} must be <template> with <text> and <slugs> children, as the template editor writes it (found <{root.Name.LocalName}>{(unexpected != null ? $" with <{unexpected}>" : "")})");
            }
            catch (System.Xml.XmlException ex)
            {
                report.Fail(relative, $"template '{template.Title}': {name} is not well-formed XML: {ex.Message}");
            }
        }
    }

    private static void CheckEnvironmentVariables(SolutionSource source, string publisherPrefix, CheckReport report)
    {
        var types = new[] { "100000000", "100000001", "100000002", "100000003", "100000004", "100000005" };
        foreach (var variable in source.EnvironmentVariables)
        {
            var schemaName = (string?)variable.Root.Attribute("schemaname") ?? "";
            var folder = Path.GetFileName(Path.GetDirectoryName(variable.RelativePath) ?? "");
            if (!string.Equals(schemaName, folder, StringComparison.Ordinal))
                report.Fail(variable.RelativePath, $"schemaname '{schemaName}' differs from its folder '{folder}'");
            if (!schemaName.StartsWith(publisherPrefix + "_", StringComparison.Ordinal))
                report.Fail(variable.RelativePath, $"schemaname '{schemaName}' must start with '{publisherPrefix}_'");
            var type = variable.Root.Element("type")?.Value.Trim();
            if (!types.Contains(type))
                report.Fail(variable.RelativePath, $"type '{type}' is not an environment variable type (100000000 String … 100000005 Secret)");
            var defaultValue = variable.Root.Element("defaultvalue")?.Value;
            if (defaultValue != null && type == "100000003")
            {
                try { System.Text.Json.JsonDocument.Parse(defaultValue).Dispose(); }
                catch (System.Text.Json.JsonException ex) { report.Fail(variable.RelativePath, $"defaultvalue is not valid JSON: {ex.Message}"); }
            }
            if (defaultValue != null && type == "100000001" && !decimal.TryParse(defaultValue, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _))
                report.Fail(variable.RelativePath, $"defaultvalue '{defaultValue}' is not a number");
        }
    }
}
