using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace EmergencySolution.SolutionReader
{
    public sealed record PluginTypeRegistration(string Name, string AssemblyQualifiedName, Guid Id);

    /// <summary>PluginAssemblies/&lt;name&gt;-&lt;id&gt;/&lt;file&gt;.dll.data.xml.</summary>
    public sealed record PluginAssemblyRegistration(SourceXml File, string FolderName, string FullName, Guid Id, string FileName, IReadOnlyList<PluginTypeRegistration> PluginTypes)
    {
        /// <summary>The simple assembly name, the part of FullName before the first comma.</summary>
        public string AssemblyName => FullName.Split(',')[0].Trim();
    }

    /// <summary>An image of a step (SdkMessageProcessingStepImage).</summary>
    public sealed record StepImageDefinition(Guid Id, string Name, string EntityAlias, int? ImageType, IReadOnlyList<string> Attributes, string? MessagePropertyName);

    /// <summary>
    /// SdkMessageProcessingSteps/{id}.xml. Values that are missing or malformed read as null/empty; the packager's
    /// checks report them, the in-memory Dataverse refuses them.
    /// </summary>
    public sealed class StepDefinition
    {
        public StepDefinition(SourceXml file)
        {
            File = file;
            var root = file.Root;
            string? Value(string name) => XmlValues.Trimmed(root.Element(name));
            Id = XmlValues.ParseGuid((string?)root.Attribute("SdkMessageProcessingStepId"));
            Name = (string?)root.Attribute("Name") ?? string.Empty;
            MessageId = XmlValues.ParseGuid(Value("SdkMessageId"));
            PrimaryEntity = Value("PrimaryEntity");
            PluginTypeId = XmlValues.ParseGuid(Value("PluginTypeId"));
            PluginTypeName = Value("PluginTypeName") ?? string.Empty;
            Stage = XmlValues.ParseInt(Value("Stage"));
            Mode = XmlValues.ParseInt(Value("Mode"));
            Rank = XmlValues.ParseInt(Value("Rank")) ?? 1;
            FilteringAttributes = XmlValues.SplitList(Value("FilteringAttributes"));
            // Real exports write the unsecure configuration as <Configuration>, unpacked and packed alike; a step
            // without one omits the element (null here), an empty element is an empty string.
            Configuration = root.Element("Configuration")?.Value;
            Images = root.Element("SdkMessageProcessingStepImages")?.Elements("SdkMessageProcessingStepImage").Select(image => new StepImageDefinition(
                    XmlValues.ParseGuid(image.Element("SdkMessageProcessingStepImageId")?.Value),
                    (string?)image.Attribute("Name") ?? string.Empty,
                    XmlValues.Trimmed(image.Element("EntityAlias")) ?? (string?)image.Attribute("Name") ?? string.Empty,
                    XmlValues.ParseInt(image.Element("ImageType")?.Value),
                    XmlValues.SplitList(image.Element("Attributes")?.Value),
                    XmlValues.Trimmed(image.Element("MessagePropertyName"))))
                .ToList() ?? new List<StepImageDefinition>();
        }

        public SourceXml File { get; }

        public XElement Root => File.Root;

        public string RelativePath => File.RelativePath;

        public Guid Id { get; }

        public string Name { get; }

        public Guid MessageId { get; }

        /// <summary>The message by its fixed id, or null for an id that is not in <see cref="KnownMessages"/>.</summary>
        public MessageRules? Message => KnownMessages.ById.TryGetValue(MessageId, out var rules) ? rules : null;

        public string? PrimaryEntity { get; }

        public Guid PluginTypeId { get; }

        public string PluginTypeName { get; }

        public int? Stage { get; }

        public int? Mode { get; }

        public int Rank { get; }

        public IReadOnlyList<string> FilteringAttributes { get; }

        public string? Configuration { get; }

        public IReadOnlyList<StepImageDefinition> Images { get; }
    }

    /// <summary>A request parameter or response property of a custom API.</summary>
    public sealed class CustomApiMember
    {
        public CustomApiMember(SourceXml file)
        {
            File = file;
            UniqueName = (string?)file.Root.Attribute("uniquename") ?? string.Empty;
            Type = XmlValues.ParseInt(file.Root.Element("type")?.Value);
            IsOptional = XmlValues.ParseBool(file.Root.Element("isoptional")?.Value);
            LogicalEntityName = XmlValues.Trimmed(file.Root.Element("logicalentityname"));
        }

        public SourceXml File { get; }

        public XElement Root => File.Root;

        public string RelativePath => File.RelativePath;

        public string UniqueName { get; }

        /// <summary>0 Boolean … 12 Guid; null when missing or not a number.</summary>
        public int? Type { get; }

        public bool IsOptional { get; }

        public string? LogicalEntityName { get; }
    }

    /// <summary>customapis/&lt;uniquename&gt;/customapi.xml with its request parameters and response properties.</summary>
    public sealed class CustomApiFolder
    {
        public CustomApiFolder(string relativeFolder, SourceXml api, IReadOnlyList<SourceXml> requestParameters, IReadOnlyList<SourceXml> responseProperties)
        {
            RelativeFolder = relativeFolder;
            Api = api;
            RequestParameters = requestParameters.Select(p => new CustomApiMember(p)).ToList();
            ResponseProperties = responseProperties.Select(p => new CustomApiMember(p)).ToList();
            var root = api.Root;
            UniqueName = (string?)root.Attribute("uniquename") ?? string.Empty;
            BindingType = XmlValues.ParseInt(root.Element("bindingtype")?.Value) ?? 0;
            BoundEntityLogicalName = XmlValues.Trimmed(root.Element("boundentitylogicalname"));
            IsFunction = XmlValues.ParseBool(root.Element("isfunction")?.Value);
            ExecutePrivilegeName = XmlValues.Trimmed(root.Element("executeprivilegename"));
            var link = root.Element("plugintypeid");
            PluginTypeKey = XmlValues.Trimmed(link?.Element("plugintypeexportkey")) ?? XmlValues.Trimmed(link?.Element("plugintypeid"));
        }

        public string RelativeFolder { get; }

        public SourceXml Api { get; }

        public IReadOnlyList<CustomApiMember> RequestParameters { get; }

        public IReadOnlyList<CustomApiMember> ResponseProperties { get; }

        public string UniqueName { get; }

        public int BindingType { get; }

        public string? BoundEntityLogicalName { get; }

        public bool IsFunction { get; }

        public string? ExecutePrivilegeName { get; }

        /// <summary>The plugin type's id as written (plugintypeexportkey), or null when the API names no implementation.</summary>
        public string? PluginTypeKey { get; }

        public Guid PluginTypeId => XmlValues.ParseGuid(PluginTypeKey);
    }

    public sealed record RolePrivilegeGrant(string Name, string Level);

    /// <summary>Roles/&lt;name&gt;.xml.</summary>
    public sealed class RoleDefinition
    {
        public RoleDefinition(SourceXml file)
        {
            File = file;
            Name = (string?)file.Root.Attribute("name") ?? string.Empty;
            Id = XmlValues.ParseGuid((string?)file.Root.Attribute("id"));
            Privileges = file.Root.Descendants("RolePrivilege")
                .Select(p => new RolePrivilegeGrant((string?)p.Attribute("name") ?? string.Empty, (string?)p.Attribute("level") ?? string.Empty))
                .ToList();
        }

        public SourceXml File { get; }

        public XElement Root => File.Root;

        public string RelativePath => File.RelativePath;

        public string Name { get; }

        public Guid Id { get; }

        public IReadOnlyList<RolePrivilegeGrant> Privileges { get; }
    }

    public sealed record EnvironmentVariableValue(Guid? Id, string? Value);

    /// <summary>environmentvariabledefinitions/&lt;schemaname&gt;/environmentvariabledefinition.xml (+ environmentvariablevalues.json).</summary>
    public sealed class EnvironmentVariableDefinition
    {
        public EnvironmentVariableDefinition(SourceXml file, IReadOnlyList<EnvironmentVariableValue> values)
        {
            File = file;
            Values = values;
            SchemaName = (string?)file.Root.Attribute("schemaname") ?? string.Empty;
            DisplayName = (string?)file.Root.Element("displayname")?.Attribute("default");
            Type = XmlValues.Trimmed(file.Root.Element("type"));
            DefaultValue = file.Root.Element("defaultvalue")?.Value;
        }

        public SourceXml File { get; }

        public XElement Root => File.Root;

        public string RelativePath => File.RelativePath;

        public string SchemaName { get; }

        public string? DisplayName { get; }

        /// <summary>100000000 String … 100000005 Secret, as written.</summary>
        public string? Type { get; }

        public string? DefaultValue { get; }

        /// <summary>The current values shipped beside the definition (environmentvariablevalues.json), usually none.</summary>
        public IReadOnlyList<EnvironmentVariableValue> Values { get; }
    }

    /// <summary>
    /// One emailtemplate of Templates/EmailTemplates.xml with its documents in
    /// Templates/EmailDocuments/&lt;languagecode&gt;/{templateid}/ (relative paths, null when the file is missing).
    /// </summary>
    public sealed class EmailTemplateDefinition
    {
        /// <summary>The documents SolutionPackager writes for an email template, by the element of the template each one fills.</summary>
        public static readonly IReadOnlyDictionary<string, string> DocumentFiles = new Dictionary<string, string>
        {
            ["subject"] = "subject.xsl",
            ["body"] = "body.xsl",
            ["presentationxml"] = "presentationxml.xml",
            ["subjectpresentationxml"] = "subjectpresentationxml.xml",
        };

        /// <summary>
        /// The tables a template can be for, by object type code: templatetypecode holds the number in real exports,
        /// unpacked and packed alike (8 for the user table); Dataverse answers the table's logical name when read.
        /// </summary>
        public static readonly IReadOnlyDictionary<int, string> TablesByObjectTypeCode = new Dictionary<int, string>
        {
            [1] = "account", [2] = "contact", [3] = "opportunity", [4] = "lead", [8] = "systemuser", [112] = "incident", [2020] = "queue",
        };

        public EmailTemplateDefinition(XElement element, Guid id, IReadOnlyDictionary<string, string> documents)
        {
            Element = element;
            Id = id;
            Documents = documents;
            Title = XmlValues.Trimmed(element.Element("title")) ?? string.Empty;
            TemplateTypeCode = XmlValues.Trimmed(element.Element("templatetypecode"));
            LanguageCode = XmlValues.ParseInt(element.Element("languagecode")?.Value) ?? 1033;
        }

        public XElement Element { get; }

        public Guid Id { get; }

        public string Title { get; }

        public string? TemplateTypeCode { get; }

        /// <summary>The logical name of the table templatetypecode names, or null when it is not a known object type code.</summary>
        public string? TemplateTable =>
            XmlValues.ParseInt(TemplateTypeCode) is int code && TablesByObjectTypeCode.TryGetValue(code, out var table) ? table : null;

        public int LanguageCode { get; }

        /// <summary>Element name (subject, body, presentationxml, subjectpresentationxml) to the relative path of the document that fills it.</summary>
        public IReadOnlyDictionary<string, string> Documents { get; }

        public string? SubjectFile => Documents.TryGetValue("subject", out var file) ? file : null;

        public string? BodyFile => Documents.TryGetValue("body", out var file) ? file : null;
    }

    public sealed record WebResourceRegistration(SourceXml DataFile, Guid Id, string Name, int Type, string FileName);
}
