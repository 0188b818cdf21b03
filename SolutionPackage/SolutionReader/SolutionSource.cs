using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace EmergencySolution.SolutionReader
{
    /// <summary>
    /// SolutionPackage/src as `pac solution unpack` lays it out, read into memory. Reading never throws for a broken
    /// file: a file that is not well-formed XML becomes a failure in <see cref="LoadFailures"/> and is left out.
    /// </summary>
    public sealed class SolutionSource
    {
        public required string Directory { get; init; }
        public SourceXml? SolutionManifest { get; init; }
        public SourceXml? Customizations { get; init; }
        public SourceXml? RelationshipIndex { get; init; }
        public required IReadOnlyList<SourceXml> RelationshipFiles { get; init; }
        public required IReadOnlyList<EntityDefinition> Entities { get; init; }
        public required IReadOnlyList<RoleDefinition> Roles { get; init; }
        public required IReadOnlyList<PluginAssemblyRegistration> PluginAssemblies { get; init; }
        public required IReadOnlyList<StepDefinition> Steps { get; init; }
        public required IReadOnlyList<CustomApiFolder> CustomApis { get; init; }
        public required IReadOnlyList<EnvironmentVariableDefinition> EnvironmentVariables { get; init; }
        public required IReadOnlyList<WebResourceRegistration> WebResources { get; init; }
        public SourceXml? EmailTemplatesFile { get; init; }
        public required IReadOnlyList<EmailTemplateDefinition> EmailTemplates { get; init; }
        public required IReadOnlyList<CheckFailure> LoadFailures { get; init; }

        public string FullPath(string relativePath) => Path.Combine(Directory, relativePath.Replace('/', Path.DirectorySeparatorChar));

        /// <summary>The table by logical name (any case), or null.</summary>
        public EntityDefinition? Table(string logicalName) =>
            Entities.FirstOrDefault(e => string.Equals(e.LogicalName, logicalName, StringComparison.OrdinalIgnoreCase));

        public static Guid ParseGuid(string? text) => XmlValues.ParseGuid(text);

        public static SolutionSource Load(string srcDirectory) => new Loader(srcDirectory).Load();

        private sealed class Loader
        {
            private readonly string root;
            private readonly List<CheckFailure> failures = new List<CheckFailure>();

            public Loader(string srcDirectory)
            {
                root = Path.GetFullPath(srcDirectory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            }

            public SolutionSource Load()
            {
                var templatesFile = ReadOptional("Templates/EmailTemplates.xml");
                return new SolutionSource
                {
                    Directory = root,
                    SolutionManifest = ReadRequired("Other/Solution.xml"),
                    Customizations = ReadRequired("Other/Customizations.xml"),
                    RelationshipIndex = ReadOptional("Other/Relationships.xml"),
                    RelationshipFiles = Files("Other/Relationships", "*.xml").Select(Read).OfType<SourceXml>().ToList(),
                    Entities = ReadEntities(),
                    Roles = Files("Roles", "*.xml").Select(Read).OfType<SourceXml>().Select(r => new RoleDefinition(r)).ToList(),
                    PluginAssemblies = ReadPluginAssemblies(),
                    Steps = Files("SdkMessageProcessingSteps", "*.xml").Select(Read).OfType<SourceXml>().Select(s => new StepDefinition(s)).ToList(),
                    CustomApis = ReadCustomApis(),
                    EnvironmentVariables = ReadEnvironmentVariables(),
                    WebResources = ReadWebResources(),
                    EmailTemplatesFile = templatesFile,
                    EmailTemplates = ReadTemplates(templatesFile),
                    LoadFailures = failures,
                };
            }

            private string Rel(string full)
            {
                var relative = full.StartsWith(root, StringComparison.Ordinal) ? full.Substring(root.Length).TrimStart('/', '\\') : full;
                return relative.Replace('\\', '/');
            }

            private string Full(string relative) => Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));

            private SourceXml? Read(string full)
            {
                try
                {
                    return new SourceXml(Rel(full), XDocument.Load(full, LoadOptions.None));
                }
                catch (XmlException ex)
                {
                    failures.Add(new CheckFailure(Rel(full), $"not well-formed XML: {ex.Message}"));
                    return null;
                }
            }

            private SourceXml? ReadRequired(string relative)
            {
                if (File.Exists(Full(relative))) return Read(Full(relative));
                failures.Add(new CheckFailure(relative, "missing: every unpacked solution has this file"));
                return null;
            }

            private SourceXml? ReadOptional(string relative) => File.Exists(Full(relative)) ? Read(Full(relative)) : null;

            private IEnumerable<string> Files(string relativeFolder, string pattern, SearchOption option = SearchOption.TopDirectoryOnly)
            {
                var dir = Full(relativeFolder);
                return System.IO.Directory.Exists(dir)
                    ? System.IO.Directory.EnumerateFiles(dir, pattern, option).OrderBy(f => f, StringComparer.Ordinal)
                    : Enumerable.Empty<string>();
            }

            private IEnumerable<string> Folders(string relativeFolder)
            {
                var dir = Full(relativeFolder);
                return System.IO.Directory.Exists(dir)
                    ? System.IO.Directory.EnumerateDirectories(dir).OrderBy(f => f, StringComparer.Ordinal)
                    : Enumerable.Empty<string>();
            }

            private List<EntityDefinition> ReadEntities()
            {
                var entities = new List<EntityDefinition>();
                foreach (var folder in Folders("Entities"))
                {
                    var entityPath = Path.Combine(folder, "Entity.xml");
                    if (!File.Exists(entityPath))
                    {
                        failures.Add(new CheckFailure(Rel(folder), "table folder without Entity.xml"));
                        continue;
                    }
                    var entity = Read(entityPath);
                    var ribbonPath = Path.Combine(folder, "RibbonDiff.xml");
                    var ribbon = File.Exists(ribbonPath) ? Read(ribbonPath) : null;
                    if (entity != null) entities.Add(new EntityDefinition(Path.GetFileName(folder), entity, ribbon));
                }
                return entities;
            }

            private List<PluginAssemblyRegistration> ReadPluginAssemblies()
            {
                var assemblies = new List<PluginAssemblyRegistration>();
                foreach (var folder in Folders("PluginAssemblies"))
                {
                    foreach (var dataFile in Files(Rel(folder), "*.dll.data.xml"))
                    {
                        var xml = Read(dataFile);
                        if (xml == null) continue;
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

            private List<CustomApiFolder> ReadCustomApis()
            {
                var customApis = new List<CustomApiFolder>();
                foreach (var folder in Folders("customapis"))
                {
                    var apiPath = Path.Combine(folder, "customapi.xml");
                    if (!File.Exists(apiPath))
                    {
                        failures.Add(new CheckFailure(Rel(folder), "custom API folder without customapi.xml"));
                        continue;
                    }
                    var api = Read(apiPath);
                    if (api == null) continue;
                    List<SourceXml> Members(string subfolder, string fileName) => Folders(Rel(Path.Combine(folder, subfolder)))
                        .Select(f => Path.Combine(f, fileName))
                        .Where(File.Exists).Select(Read).OfType<SourceXml>().ToList();
                    customApis.Add(new CustomApiFolder(Rel(folder), api,
                        Members("customapirequestparameters", "customapirequestparameter.xml"),
                        Members("customapiresponseproperties", "customapiresponseproperty.xml")));
                }
                return customApis;
            }

            private List<EnvironmentVariableDefinition> ReadEnvironmentVariables()
            {
                var variables = new List<EnvironmentVariableDefinition>();
                foreach (var folder in Folders("environmentvariabledefinitions"))
                {
                    var path = Path.Combine(folder, "environmentvariabledefinition.xml");
                    if (!File.Exists(path))
                    {
                        failures.Add(new CheckFailure(Rel(folder), "environment variable folder without environmentvariabledefinition.xml"));
                        continue;
                    }
                    if (Read(path) is { } xml) variables.Add(new EnvironmentVariableDefinition(xml, ReadValues(Path.Combine(folder, "environmentvariablevalues.json"))));
                }
                return variables;
            }

            /// <summary>environmentvariablevalues.json: {"environmentvariablevalues":{"environmentvariablevalue": one object or an array}}.</summary>
            private List<EnvironmentVariableValue> ReadValues(string path)
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
                    failures.Add(new CheckFailure(Rel(path), $"not an environmentvariablevalues document: {ex.Message}"));
                }
                return values;
            }

            private List<WebResourceRegistration> ReadWebResources()
            {
                var webResources = new List<WebResourceRegistration>();
                foreach (var dataFile in Files("WebResources", "*.data.xml", SearchOption.AllDirectories))
                {
                    var xml = Read(dataFile);
                    if (xml == null) continue;
                    webResources.Add(new WebResourceRegistration(
                        xml,
                        XmlValues.ParseGuid(xml.Root.Element("WebResourceId")?.Value),
                        xml.Root.Element("Name")?.Value.Trim() ?? string.Empty,
                        XmlValues.ParseInt(xml.Root.Element("WebResourceType")?.Value) ?? -1,
                        xml.Root.Element("FileName")?.Value.Trim() ?? string.Empty));
                }
                return webResources;
            }

            private List<EmailTemplateDefinition> ReadTemplates(SourceXml? templatesFile)
            {
                var templates = new List<EmailTemplateDefinition>();
                if (templatesFile == null) return templates;
                foreach (var template in templatesFile.Root.Elements("emailtemplate"))
                {
                    var id = XmlValues.ParseGuid(template.Element("templateid")?.Value ?? (string?)template.Attribute("id"));
                    var language = XmlValues.Trimmed(template.Element("languagecode")) ?? "1033";
                    var folder = TemplateFolder(language, id);
                    var documents = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (folder != null)
                    {
                        foreach (var document in EmailTemplateDefinition.DocumentFiles)
                        {
                            var file = Path.Combine(folder, document.Value);
                            if (File.Exists(file)) documents[document.Key] = Rel(file);
                        }
                    }
                    templates.Add(new EmailTemplateDefinition(template, id, documents));
                }
                return templates;
            }

            /// <summary>Templates/EmailDocuments/&lt;lcid&gt;/{templateid}; the folder is matched with or without braces, in any case.</summary>
            private string? TemplateFolder(string languageCode, Guid templateId)
            {
                var languageFolder = Full("Templates/EmailDocuments/" + languageCode);
                if (!System.IO.Directory.Exists(languageFolder)) return null;
                return System.IO.Directory.EnumerateDirectories(languageFolder)
                    .FirstOrDefault(folder => XmlValues.ParseGuid(Path.GetFileName(folder)) == templateId && templateId != Guid.Empty);
            }
        }
    }
}
