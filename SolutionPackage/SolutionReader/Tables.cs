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
    /// Entities/&lt;SchemaName&gt;/Entity.xml (and RibbonDiff.xml beside it). Our own tables carry EntityInfo with every
    /// column; an existing table (systemuser) carries only the columns we add, or nothing but its name (ribbon only).
    /// </summary>
    public sealed class EntityDefinition
    {
        public EntityDefinition(string folderName, SourceXml entityFile, SourceXml? ribbonDiff)
        {
            FolderName = folderName;
            EntityFile = entityFile;
            RibbonDiff = ribbonDiff;
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
