using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace EmergencySolution.SolutionReader
{
    /// <summary>Entities/&lt;SchemaName&gt;/: Entity.xml, RibbonDiff.xml, SavedQueries/{id}.xml and FormXml/&lt;type&gt;/{id}.xml.</summary>
    internal static class TableReader
    {
        public static List<EntityDefinition> Read(SourceFolder src)
        {
            var entities = new List<EntityDefinition>();
            foreach (var (folder, entity) in src.ComponentFolders("Entities", "Entity.xml", "table folder without Entity.xml"))
            {
                var ribbonPath = Path.Combine(folder, "RibbonDiff.xml");
                var ribbon = File.Exists(ribbonPath) ? src.Read(ribbonPath) : null;
                entities.Add(new EntityDefinition(Path.GetFileName(folder), entity, ribbon, Views(src, folder), Forms(src, folder)));
            }
            return entities;
        }

        private static List<ViewDefinition> Views(SourceFolder src, string tableFolder) =>
            src.ReadAll(src.Rel(Path.Combine(tableFolder, "SavedQueries")), "*.xml").Select(file => new ViewDefinition(file)).ToList();

        /// <summary>One folder per form type, as `pac solution unpack` writes them (main, quick, card, …).</summary>
        private static List<FormDefinition> Forms(SourceFolder src, string tableFolder) =>
            src.Folders(src.Rel(Path.Combine(tableFolder, "FormXml")))
                .SelectMany(typeFolder => src.ReadAll(src.Rel(typeFolder), "*.xml").Select(file => new FormDefinition(Path.GetFileName(typeFolder), file)))
                .ToList();
    }

    /// <summary>PluginAssemblies/&lt;name&gt;-&lt;id&gt;/&lt;name&gt;.dll.data.xml with their plugin types.</summary>
    internal static class PluginAssemblyReader
    {
        public static List<PluginAssemblyRegistration> Read(SourceFolder src)
        {
            var assemblies = new List<PluginAssemblyRegistration>();
            foreach (var folder in src.Folders("PluginAssemblies"))
            {
                foreach (var xml in src.ReadAll(src.Rel(folder), "*.dll.data.xml"))
                {
                    var types = xml.Root.Element("PluginTypes")?.Elements("PluginType")
                        .Select(t => new PluginTypeRegistration(
                            (string?)t.Attribute("Name") ?? string.Empty,
                            (string?)t.Attribute("AssemblyQualifiedName") ?? string.Empty,
                            XmlValues.ParseGuid((string?)t.Attribute("PluginTypeId"))))
                        .ToList() ?? new List<PluginTypeRegistration>();
                    assemblies.Add(new PluginAssemblyRegistration(
                        xml, Path.GetFileName(folder),
                        (string?)xml.Root.Attribute("FullName") ?? string.Empty,
                        XmlValues.ParseGuid((string?)xml.Root.Attribute("PluginAssemblyId")),
                        xml.Root.Element("FileName")?.Value.Trim() ?? string.Empty,
                        types));
                }
            }
            return assemblies;
        }
    }

    /// <summary>customapis/&lt;uniquename&gt;/customapi.xml with its request parameters and response properties.</summary>
    internal static class CustomApiReader
    {
        public static List<CustomApiFolder> Read(SourceFolder src)
        {
            return src.ComponentFolders("customapis", "customapi.xml", "custom API folder without customapi.xml")
                .Select(api => new CustomApiFolder(src.Rel(api.Folder), api.File,
                    Members(src, Path.Combine(api.Folder, "customapirequestparameters"), "customapirequestparameter.xml"),
                    Members(src, Path.Combine(api.Folder, "customapiresponseproperties"), "customapiresponseproperty.xml")))
                .ToList();
        }

        private static List<SourceXml> Members(SourceFolder src, string membersFolder, string fileName) =>
            src.Folders(src.Rel(membersFolder)).Select(f => Path.Combine(f, fileName))
                .Where(File.Exists).Select(src.Read).OfType<SourceXml>().ToList();
    }

    /// <summary>environmentvariabledefinitions/&lt;schemaname&gt;/environmentvariabledefinition.xml and its values file.</summary>
    internal static class EnvironmentVariableReader
    {
        public static List<EnvironmentVariableDefinition> Read(SourceFolder src)
        {
            return src.ComponentFolders("environmentvariabledefinitions", "environmentvariabledefinition.xml", "environment variable folder without environmentvariabledefinition.xml")
                .Select(variable => new EnvironmentVariableDefinition(variable.File, Values(src, Path.Combine(variable.Folder, "environmentvariablevalues.json"))))
                .ToList();
        }

        /// <summary>environmentvariablevalues.json: {"environmentvariablevalues":{"environmentvariablevalue": one object or an array}}.</summary>
        private static List<EnvironmentVariableValue> Values(SourceFolder src, string path)
        {
            var values = new List<EnvironmentVariableValue>();
            if (!File.Exists(path)) return values;
            try
            {
                using (var json = JsonDocument.Parse(File.ReadAllText(path)))
                {
                    var value = json.RootElement.GetProperty("environmentvariablevalues").GetProperty("environmentvariablevalue");
                    var items = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : new List<JsonElement> { value };
                    foreach (var item in items)
                    {
                        Guid? id = item.TryGetProperty("@environmentvariablevalueid", out var idProperty) && Guid.TryParse(idProperty.GetString(), out var parsed) ? parsed : (Guid?)null;
                        values.Add(new EnvironmentVariableValue(id, item.TryGetProperty("value", out var v) ? v.GetString() : null));
                    }
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException)
            {
                src.Fail(path, $"not an environmentvariablevalues document: {ex.Message}");
            }
            return values;
        }
    }

    /// <summary>WebResources/**/*.data.xml.</summary>
    internal static class WebResourceReader
    {
        public static List<WebResourceRegistration> Read(SourceFolder src) =>
            src.ReadAll("WebResources", "*.data.xml", SearchOption.AllDirectories)
                .Select(xml => new WebResourceRegistration(
                    xml,
                    XmlValues.ParseGuid(xml.Root.Element("WebResourceId")?.Value),
                    xml.Root.Element("Name")?.Value.Trim() ?? string.Empty,
                    XmlValues.ParseInt(xml.Root.Element("WebResourceType")?.Value) ?? -1,
                    xml.Root.Element("FileName")?.Value.Trim() ?? string.Empty))
                .ToList();
    }

    /// <summary>Templates/EmailTemplates.xml and each template's documents in Templates/EmailDocuments/&lt;lcid&gt;/{templateid}/.</summary>
    internal static class EmailTemplateReader
    {
        public static List<EmailTemplateDefinition> Read(SourceFolder src, SourceXml? templatesFile)
        {
            var templates = new List<EmailTemplateDefinition>();
            if (templatesFile == null) return templates;
            foreach (var template in templatesFile.Root.Elements("emailtemplate"))
            {
                var id = XmlValues.ParseGuid(template.Element("templateid")?.Value ?? (string?)template.Attribute("id"));
                var language = XmlValues.Trimmed(template.Element("languagecode")) ?? "1033";
                var folder = TemplateFolder(src, language, id);
                var documents = new Dictionary<string, string>(StringComparer.Ordinal);
                if (folder != null)
                {
                    foreach (var document in EmailTemplateDefinition.DocumentFiles)
                    {
                        var file = Path.Combine(folder, document.Value);
                        if (File.Exists(file)) documents[document.Key] = src.Rel(file);
                    }
                }
                templates.Add(new EmailTemplateDefinition(template, id, documents));
            }
            return templates;
        }

        /// <summary>Templates/EmailDocuments/&lt;lcid&gt;/{templateid}; the folder is matched with or without braces, in any case.</summary>
        private static string? TemplateFolder(SourceFolder src, string languageCode, Guid templateId) =>
            src.Folders("Templates/EmailDocuments/" + languageCode)
                .FirstOrDefault(folder => XmlValues.ParseGuid(Path.GetFileName(folder)) == templateId && templateId != Guid.Empty);
    }
}
