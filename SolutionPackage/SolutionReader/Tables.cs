using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace EmergencySolution.SolutionReader
{
    /// <summary>A column of a table as Entity.xml declares it (Dataverse: AttributeMetadata).</summary>
    public sealed record ColumnDefinition(
        string LogicalName,
        string? SchemaName,
        string Type,
        string RequiredLevel,
        int? MaxLength,
        string? Format,
        bool IsCustom,
        IReadOnlyList<int> OptionValues)
    {
        /// <summary>Text columns: nvarchar (single line) and ntext (multiple lines); MaxLength is counted in characters.</summary>
        public bool IsText => Type == "nvarchar" || Type == "ntext";

        /// <summary>required or systemrequired: Dataverse refuses a create without it (systemrequired ones it fills itself).</summary>
        public bool IsBusinessRequired => RequiredLevel == "required";
    }

    /// <summary>An alternate key (Dataverse: EntityKeyMetadata): its logical name and the columns it is made of.</summary>
    public sealed record AlternateKeyDefinition(string LogicalName, IReadOnlyList<string> Attributes);

    /// <summary>
    /// Entities/&lt;table&gt;/SavedQueries/{savedqueryid}.xml as `pac solution unpack` writes it: a &lt;savedqueries&gt;
    /// root holding one &lt;savedquery&gt; (Dataverse: savedquery, a system view), with its fetchxml and layoutxml.
    /// </summary>
    public sealed class ViewDefinition
    {
        public ViewDefinition(SourceXml file)
        {
            File = file;
            Element = file.Root.Elements("savedquery").FirstOrDefault();
            Id = XmlValues.ParseGuid(Element?.Element("savedqueryid")?.Value);
            QueryType = XmlValues.ParseInt(Element?.Element("querytype")?.Value);
            Name = Element?.Element("LocalizedNames")?.Elements("LocalizedName").Select(n => (string?)n.Attribute("description")).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n));
            Fetch = Element?.Element("fetchxml")?.Element("fetch");
            Grid = Element?.Element("layoutxml")?.Element("grid");
        }

        public SourceXml File { get; }

        /// <summary>The &lt;savedquery&gt;, or null when the file has none.</summary>
        public XElement? Element { get; }

        public Guid Id { get; }

        /// <summary>0 public view, 1 advanced find, 2 associated, 4 quick find, 64 lookup, 8192 offline template, …</summary>
        public int? QueryType { get; }

        public string? Name { get; }

        public bool IsDefault => XmlValues.ParseBool(Element?.Element("isdefault")?.Value);

        public bool IsQuickFind => XmlValues.ParseBool(Element?.Element("isquickfindquery")?.Value);

        public XElement? Fetch { get; }

        public XElement? Grid { get; }
    }

    /// <summary>
    /// Entities/&lt;table&gt;/FormXml/&lt;type&gt;/{formid}.xml as `pac solution unpack` writes it: a &lt;forms&gt; root
    /// holding one &lt;systemform&gt;; the form type (main, quick, card, …) is the folder's name.
    /// </summary>
    public sealed class FormDefinition
    {
        public FormDefinition(string type, SourceXml file)
        {
            Type = type;
            File = file;
            Element = file.Root.Elements("systemform").FirstOrDefault();
            Id = XmlValues.ParseGuid(Element?.Element("formid")?.Value);
            Name = Element?.Element("LocalizedNames")?.Elements("LocalizedName").Select(n => (string?)n.Attribute("description")).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n));
        }

        public string Type { get; }

        public SourceXml File { get; }

        /// <summary>The &lt;systemform&gt;, or null when the file has none.</summary>
        public XElement? Element { get; }

        public Guid Id { get; }

        public string? Name { get; }

        /// <summary>The controls bound to a column (datafieldname), in the form's order.</summary>
        public IEnumerable<XElement> BoundControls =>
            Element?.Element("form")?.Descendants("control").Where(c => c.Attribute("datafieldname") != null) ?? Enumerable.Empty<XElement>();
    }

    /// <summary>
    /// Entities/&lt;SchemaName&gt;/Entity.xml (with RibbonDiff.xml, SavedQueries/ and FormXml/ beside it). Our own tables carry EntityInfo with every
    /// column; an existing table (systemuser) carries only the columns we add, or nothing but its name (ribbon only).
    /// </summary>
    public sealed class EntityDefinition
    {
        public EntityDefinition(string folderName, SourceXml entityFile, SourceXml? ribbonDiff,
            IReadOnlyList<ViewDefinition>? views = null, IReadOnlyList<FormDefinition>? forms = null)
        {
            FolderName = folderName;
            EntityFile = entityFile;
            RibbonDiff = ribbonDiff;
            Views = views ?? new List<ViewDefinition>();
            Forms = forms ?? new List<FormDefinition>();
            var root = entityFile.Root;
            SchemaName = XmlValues.Trimmed(root.Element("Name")) ?? folderName;
            var entity = root.Element("EntityInfo")?.Element("entity");
            Columns = entity?.Element("attributes")?.Elements("attribute").Select(ReadColumn).ToList() ?? new List<ColumnDefinition>();
            Keys = entity?.Element("EntityKeys")?.Elements("EntityKey")
                .Select(k => new AlternateKeyDefinition(
                    (XmlValues.Trimmed(k.Element("LogicalName")) ?? XmlValues.Trimmed(k.Element("Name")) ?? string.Empty).ToLowerInvariant(),
                    k.Element("EntityKeyAttributes")?.Elements("AttributeName").Select(a => a.Value.Trim().ToLowerInvariant()).ToList() ?? new List<string>()))
                .ToList() ?? new List<AlternateKeyDefinition>();
            IsActivity = XmlValues.ParseBool(entity?.Element("IsActivity")?.Value);
            OwnershipType = XmlValues.Trimmed(entity?.Element("OwnershipTypeMask"));
        }

        public string FolderName { get; }

        public SourceXml EntityFile { get; }

        public SourceXml? RibbonDiff { get; }

        /// <summary>The table's system views (SavedQueries/{savedqueryid}.xml).</summary>
        public IReadOnlyList<ViewDefinition> Views { get; }

        /// <summary>The table's system forms (FormXml/&lt;type&gt;/{formid}.xml).</summary>
        public IReadOnlyList<FormDefinition> Forms { get; }

        /// <summary>The table's SchemaName as written in Name (emc_EmergencyCall); privilege names use it.</summary>
        public string SchemaName { get; }

        /// <summary>The table's logical name (the schema name, lower-cased).</summary>
        public string LogicalName => SchemaName.ToLowerInvariant();

        /// <summary>True when Entity.xml defines the table itself (OwnershipTypeMask is written only for a table the solution creates).</summary>
        public bool IsDefinedHere => OwnershipType != null;

        public string? OwnershipType { get; }

        public bool IsActivity { get; }

        public IReadOnlyList<ColumnDefinition> Columns { get; }

        public IReadOnlyList<AlternateKeyDefinition> Keys { get; }

        public ColumnDefinition? Column(string logicalName) =>
            Columns.FirstOrDefault(c => string.Equals(c.LogicalName, logicalName, StringComparison.OrdinalIgnoreCase));

        private static ColumnDefinition ReadColumn(XElement attribute)
        {
            var physicalName = (string?)attribute.Attribute("PhysicalName");
            var logicalName = XmlValues.Trimmed(attribute.Element("LogicalName")) ?? physicalName ?? string.Empty;
            return new ColumnDefinition(
                logicalName.ToLowerInvariant(),
                physicalName,
                XmlValues.Trimmed(attribute.Element("Type")) ?? string.Empty,
                XmlValues.Trimmed(attribute.Element("RequiredLevel")) ?? "none",
                XmlValues.ParseInt(attribute.Element("MaxLength")?.Value),
                XmlValues.Trimmed(attribute.Element("Format")),
                XmlValues.ParseBool(attribute.Element("IsCustomField")?.Value),
                attribute.Descendants("option").Select(o => XmlValues.ParseInt((string?)o.Attribute("value"))).Where(v => v.HasValue).Select(v => v!.Value).ToList());
        }
    }
}
