using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Checks;

/// <summary>Validates a packed customizations.xml against Microsoft's CustomizationsSolution.xsd, in-process.</summary>
public sealed class SchemaCheck
{
    private readonly XmlSchemaSet schemas;

    public SchemaCheck(string schemaDirectory)
    {
        schemas = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        var main = Path.Combine(schemaDirectory, "CustomizationsSolution.xsd");
        using (var reader = XmlReader.Create(main, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = new XmlUrlResolver() }))
            schemas.Add(null, reader);
        schemas.Compile();
    }

    public void Validate(string file, byte[] xml, CheckReport report)
    {
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas, DtdProcessing = DtdProcessing.Prohibit };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        var count = 0;
        // A diff of Microsoft's form is not a whole form, which is all the XSD describes: FormDiffChecks checks those lines.
        var formDiffs = FormDiffChecks.FormDiffLineRanges(xml);
        settings.ValidationEventHandler += (_, e) =>
        {
            if (formDiffs.Any(r => e.Exception.LineNumber >= r.From && e.Exception.LineNumber <= r.To)) return;
            // The first 25 are enough to act on; a broken section repeats the same error per row.
            if (++count <= 25)
                report.Fail(file, $"schema ({e.Severity.ToString().ToLowerInvariant()}) at line {e.Exception.LineNumber}, position {e.Exception.LinePosition}: {e.Message}");
        };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml), settings);
            while (reader.Read()) { }
        }
        catch (XmlException ex)
        {
            report.Fail(file, $"not well-formed XML: {ex.Message}");
        }
        if (count > 25) report.Fail(file, $"schema: {count - 25} more errors not shown");
    }
}
