using System;
using System.Globalization;
using System.IO;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Xsl;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// InstantiateTemplate as Dataverse does it: a template's subject and body are XSLT 1.0 stylesheets applied to
    /// <c>&lt;data&gt;&lt;{table}&gt;&lt;{column}&gt;value&lt;/…&gt;&lt;/{table}&gt;&lt;/data&gt;</c> built from the record.
    /// The stylesheet's own <c>xsl:output</c> decides the output: real templates (and the template editor) write
    /// <c>method="text"</c> with the HTML as CDATA text, so the markup comes out as it is written and a column value
    /// comes out unescaped; each dynamic field is an <c>xsl:choose</c> whose <c>xsl:otherwise</c> is the field's
    /// default, taken when the record has no value for the column.
    /// </summary>
    internal static class TemplateRenderer
    {
        public static string Render(string? stylesheet, Entity record)
        {
            if (string.IsNullOrWhiteSpace(stylesheet))
            {
                return string.Empty;
            }

            var trimmed = stylesheet!.TrimStart();
            if (!trimmed.StartsWith("<", StringComparison.Ordinal))
            {
                // Plain text (not a stylesheet) is returned as it is.
                return stylesheet;
            }

            var transform = new XslCompiledTransform();
            using (var reader = XmlReader.Create(new StringReader(stylesheet), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }))
            {
                // No scripts, no document(), and no resolver: a template cannot reach files or the network.
                transform.Load(reader, XsltSettings.Default, null);
            }

            var data = BuildData(record);
            using (var writer = new StringWriter(CultureInfo.InvariantCulture))
            {
                using (var input = data.CreateReader())
                {
                    transform.Transform(input, null, writer);
                }

                return writer.ToString();
            }
        }

        public static XDocument BuildData(Entity record)
        {
            var element = new XElement(record.LogicalName);
            foreach (var pair in record.Attributes)
            {
                var text = pair.Value == null ? null : Text(record, pair.Key, pair.Value);
                if (string.IsNullOrEmpty(text))
                {
                    // Dataverse keeps an empty text as null, and a column without a value has no element: the
                    // template's xsl:when then fails and its xsl:otherwise (the field's default) is used.
                    continue;
                }

                element.Add(new XElement(pair.Key, text));
            }

            return new XDocument(new XElement("data", element));
        }

        private static string Text(Entity record, string attribute, object value)
        {
            if (record.FormattedValues.TryGetValue(attribute, out var formatted) && !string.IsNullOrEmpty(formatted))
            {
                return formatted;
            }

            switch (value)
            {
                case EntityReference reference: return reference.Name ?? reference.Id.ToString("D");
                case OptionSetValue option: return option.Value.ToString(CultureInfo.InvariantCulture);
                case Money money: return money.Value.ToString(CultureInfo.InvariantCulture);
                case DateTime date: return date.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                case bool flag: return flag ? "1" : "0";
                case Guid id: return id.ToString("D");
                case IFormattable formattable: return formattable.ToString(null, CultureInfo.InvariantCulture);
                default: return value.ToString() ?? string.Empty;
            }
        }
    }
}
