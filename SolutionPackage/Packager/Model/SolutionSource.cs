using System.Xml;
using System.Xml.Linq;

namespace EmergencySolution.Packager.Model;

/// <summary>A file of src with its path relative to src (forward slashes) and its parsed XML.</summary>
public sealed record SourceXml(string RelativePath, XDocument Document)
{
    public XElement Root => Document.Root!;
}

public sealed record PluginTypeRegistration(string Name, string AssemblyQualifiedName, Guid Id);

public sealed record PluginAssemblyRegistration(SourceXml File, string FolderName, string FullName, Guid Id, string FileName, IReadOnlyList<PluginTypeRegistration> PluginTypes)
{
    /// <summary>The simple assembly name, the part of FullName before the first comma.</summary>
    public string AssemblyName => FullName.Split(',')[0].Trim();
}

public sealed record CustomApiFolder(string RelativeFolder, SourceXml Api, IReadOnlyList<SourceXml> RequestParameters, IReadOnlyList<SourceXml> ResponseProperties)
{
    public string UniqueName => (string?)Api.Root.Attribute("uniquename") ?? "";
}

public sealed record WebResourceRegistration(SourceXml DataFile, Guid Id, string Name, int Type, string FileName);

public sealed record EntityDefinition(string FolderName, SourceXml EntityFile, SourceXml? RibbonDiff)
{
    /// <summary>The table's logical name (the schema name in Name, lower-cased).</summary>
    public string LogicalName => (EntityFile.Root.Element("Name")?.Value ?? FolderName).Trim().ToLowerInvariant();
}

public sealed record EmailTemplateDefinition(XElement Element, Guid Id, string Title, string? SubjectFile, string? BodyFile);

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
    public required IReadOnlyList<SourceXml> Roles { get; init; }
    public required IReadOnlyList<PluginAssemblyRegistration> PluginAssemblies { get; init; }
    public required IReadOnlyList<SourceXml> Steps { get; init; }
    public required IReadOnlyList<CustomApiFolder> CustomApis { get; init; }
    public required IReadOnlyList<SourceXml> EnvironmentVariables { get; init; }
    public required IReadOnlyList<WebResourceRegistration> WebResources { get; init; }
    public SourceXml? EmailTemplatesFile { get; init; }
    public required IReadOnlyList<EmailTemplateDefinition> EmailTemplates { get; init; }
    public required IReadOnlyList<CheckFailure> LoadFailures { get; init; }

    public string FullPath(string relativePath) => Path.Combine(Directory, relativePath.Replace('/', Path.DirectorySeparatorChar));

    public static SolutionSource Load(string srcDirectory)
    {
        var failures = new List<CheckFailure>();
        var root = Path.GetFullPath(srcDirectory);

        string Rel(string full) => Path.GetRelativePath(root, full).Replace('\\', '/');

        SourceXml? Read(string full)
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

        SourceXml? ReadRequired(string relative)
        {
            var full = Path.Combine(root, relative);
            if (File.Exists(full)) return Read(full);
            failures.Add(new CheckFailure(relative, "missing: every unpacked solution has this file"));
            return null;
        }

        IEnumerable<string> Files(string relativeFolder, string pattern, SearchOption option = SearchOption.TopDirectoryOnly)
        {
            var dir = Path.Combine(root, relativeFolder);
            return System.IO.Directory.Exists(dir)
                ? System.IO.Directory.EnumerateFiles(dir, pattern, option).OrderBy(f => f, StringComparer.Ordinal)
                : Enumerable.Empty<string>();
        }

        IEnumerable<string> Folders(string relativeFolder)
        {
            var dir = Path.Combine(root, relativeFolder);
            return System.IO.Directory.Exists(dir)
                ? System.IO.Directory.EnumerateDirectories(dir).OrderBy(f => f, StringComparer.Ordinal)
                : Enumerable.Empty<string>();
        }

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

        var assemblies = new List<PluginAssemblyRegistration>();
        foreach (var folder in Folders("PluginAssemblies"))
        {
            foreach (var dataFile in Files(Rel(folder), "*.dll.data.xml"))
            {
                var xml = Read(dataFile);
                if (xml == null) continue;
                var types = xml.Root.Element("PluginTypes")?.Elements("PluginType")
                    .Select(t => new PluginTypeRegistration(
                        (string?)t.Attribute("Name") ?? "",
                        (string?)t.Attribute("AssemblyQualifiedName") ?? "",
                        ParseGuid((string?)t.Attribute("PluginTypeId"))))
                    .ToList() ?? new List<PluginTypeRegistration>();
                assemblies.Add(new PluginAssemblyRegistration(
                    xml, Path.GetFileName(folder),
                    (string?)xml.Root.Attribute("FullName") ?? "",
                    ParseGuid((string?)xml.Root.Attribute("PluginAssemblyId")),
                    xml.Root.Element("FileName")?.Value.Trim() ?? "",
                    types));
            }
        }

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
            var requests = Folders(Rel(Path.Combine(folder, "customapirequestparameters")))
                .Select(f => Path.Combine(f, "customapirequestparameter.xml"))
                .Where(File.Exists).Select(Read).OfType<SourceXml>().ToList();
            var responses = Folders(Rel(Path.Combine(folder, "customapiresponseproperties")))
                .Select(f => Path.Combine(f, "customapiresponseproperty.xml"))
                .Where(File.Exists).Select(Read).OfType<SourceXml>().ToList();
            customApis.Add(new CustomApiFolder(Rel(folder), api, requests, responses));
        }

        var environmentVariables = new List<SourceXml>();
        foreach (var folder in Folders("environmentvariabledefinitions"))
        {
            var path = Path.Combine(folder, "environmentvariabledefinition.xml");
            if (!File.Exists(path))
            {
                failures.Add(new CheckFailure(Rel(folder), "environment variable folder without environmentvariabledefinition.xml"));
                continue;
            }
            if (Read(path) is { } xml) environmentVariables.Add(xml);
        }

        var webResources = new List<WebResourceRegistration>();
        foreach (var dataFile in Files("WebResources", "*.data.xml", SearchOption.AllDirectories))
        {
            var xml = Read(dataFile);
            if (xml == null) continue;
            webResources.Add(new WebResourceRegistration(
                xml,
                ParseGuid(xml.Root.Element("WebResourceId")?.Value),
                xml.Root.Element("Name")?.Value.Trim() ?? "",
                int.TryParse(xml.Root.Element("WebResourceType")?.Value, out var type) ? type : -1,
                xml.Root.Element("FileName")?.Value.Trim() ?? ""));
        }

        SourceXml? templatesFile = null;
        var templates = new List<EmailTemplateDefinition>();
        var templatesPath = Path.Combine(root, "Templates", "EmailTemplates.xml");
        if (File.Exists(templatesPath) && (templatesFile = Read(templatesPath)) != null)
        {
            foreach (var template in templatesFile.Root.Elements("emailtemplate"))
            {
                var id = ParseGuid(template.Element("templateid")?.Value ?? (string?)template.Attribute("id"));
                var language = template.Element("languagecode")?.Value.Trim() ?? "1033";
                string? Document(string name) => FindTemplateDocument(root, language, id, name) is { } found ? Rel(found) : null;
                templates.Add(new EmailTemplateDefinition(template, id, template.Element("title")?.Value.Trim() ?? "",
                    Document("Subject.xsl"), Document("Body.xsl")));
            }
        }

        var relationshipIndexPath = Path.Combine(root, "Other", "Relationships.xml");
        return new SolutionSource
        {
            Directory = root,
            SolutionManifest = ReadRequired("Other/Solution.xml"),
            Customizations = ReadRequired("Other/Customizations.xml"),
            RelationshipIndex = File.Exists(relationshipIndexPath) ? Read(relationshipIndexPath) : null,
            RelationshipFiles = Files("Other/Relationships", "*.xml").Select(Read).OfType<SourceXml>().ToList(),
            Entities = entities,
            Roles = Files("Roles", "*.xml").Select(Read).OfType<SourceXml>().ToList(),
            PluginAssemblies = assemblies,
            Steps = Files("SdkMessageProcessingSteps", "*.xml").Select(Read).OfType<SourceXml>().ToList(),
            CustomApis = customApis,
            EnvironmentVariables = environmentVariables,
            WebResources = webResources,
            EmailTemplatesFile = templatesFile,
            EmailTemplates = templates,
            LoadFailures = failures,
        };
    }

    /// <summary>Templates/EmailDocuments/&lt;lcid&gt;/{templateid}/&lt;name&gt;; the folder is matched with or without braces, in any case.</summary>
    private static string? FindTemplateDocument(string root, string languageCode, Guid templateId, string name)
    {
        var languageFolder = Path.Combine(root, "Templates", "EmailDocuments", languageCode);
        if (!System.IO.Directory.Exists(languageFolder)) return null;
        foreach (var folder in System.IO.Directory.EnumerateDirectories(languageFolder))
        {
            if (Guid.TryParse(Path.GetFileName(folder).Trim('{', '}'), out var id) && id == templateId)
            {
                var file = Path.Combine(folder, name);
                return File.Exists(file) ? file : null;
            }
        }
        return null;
    }

    public static Guid ParseGuid(string? text) =>
        Guid.TryParse(text?.Trim().Trim('{', '}'), out var id) ? id : Guid.Empty;
}
