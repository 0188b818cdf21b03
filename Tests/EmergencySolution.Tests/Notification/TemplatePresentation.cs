using System.Xml.Linq;

namespace EmergencySolution.Tests.Notification
{
    /// <summary>
    /// One piece of an email template as the template editor sees it: literal text (HTML for a body), or a dynamic field
    /// (one or more entity/attribute paths, the first with a value wins) with its default.
    /// </summary>
    internal sealed class TemplatePart
    {
        private TemplatePart(string? text, IReadOnlyList<string> fields, string defaultText)
        {
            Text = text;
            Fields = fields;
            Default = defaultText;
        }

        public string? Text { get; }

        public IReadOnlyList<string> Fields { get; }

        public string Default { get; }

        public bool IsField => Text == null;

        public static TemplatePart Literal(string text) => new TemplatePart(text, Array.Empty<string>(), string.Empty);

        public static TemplatePart Field(IReadOnlyList<string> fields, string defaultText) => new TemplatePart(null, fields, defaultText);

        public override string ToString() => IsField ? "field " + string.Join("|", Fields) + " default '" + Default + "'" : "text '" + Text + "'";
    }

    /// <summary>
    /// Reads both forms of an email template into the same parts, so a test can hold them side by side: the editor's
    /// presentation (presentationxml / subjectpresentationxml: &lt;template&gt; of &lt;text&gt; CDATA and &lt;slugs&gt;)
    /// and the XSL that Dataverse renders (subject / body: CDATA text and, per dynamic field, an xsl:choose whose
    /// xsl:when tests and selects the field and whose xsl:otherwise is the default). The XSL is read as an XSLT
    /// processor reads it: whitespace-only text between instructions is not output, so it is no part.
    /// </summary>
    internal static class TemplatePresentation
    {
        private static readonly XNamespace Xsl = "http://www.w3.org/1999/XSL/Transform";

        public static IReadOnlyList<TemplatePart> FromPresentation(string presentationXml)
        {
            var root = XElement.Parse(presentationXml);
            if (root.Name != "template")
            {
                throw new FormatException("a presentation is a <template>, not <" + root.Name + ">");
            }

            var parts = new List<TemplatePart>();
            foreach (var element in root.Elements())
            {
                switch (element.Name.LocalName)
                {
                    case "text":
                        parts.Add(TemplatePart.Literal(element.Value));
                        break;
                    case "slugs":
                        parts.Add(TemplatePart.Field(
                            element.Elements("slug").Select(s => (string)s.Element("entity")! + "/" + (string)s.Element("attribute")!).ToList(),
                            (string?)element.Element("default") ?? string.Empty));
                        break;
                    default:
                        throw new FormatException("a presentation holds <text> and <slugs>, not <" + element.Name + ">");
                }
            }

            return Merge(parts);
        }

        public static IReadOnlyList<TemplatePart> FromStylesheet(string stylesheet)
        {
            var template = XDocument.Parse(stylesheet, LoadOptions.PreserveWhitespace).Root!.Elements(Xsl + "template")
                .Single(t => (string?)t.Attribute("match") == "/data");
            var parts = new List<TemplatePart>();
            var pendingText = new System.Text.StringBuilder();
            void FlushText()
            {
                // Adjacent text and CDATA are one text node to XSLT, which drops it only when it is all whitespace.
                if (!string.IsNullOrWhiteSpace(pendingText.ToString()))
                {
                    parts.Add(TemplatePart.Literal(pendingText.ToString()));
                }

                pendingText.Clear();
            }

            foreach (var node in template.Nodes())
            {
                switch (node)
                {
                    case XText text:
                        pendingText.Append(text.Value);
                        continue;
                    case XComment _:
                    case XProcessingInstruction _:
                        continue;
                }

                FlushText();
                var element = (XElement)node;
                if (element.Name == Xsl + "text")
                {
                    parts.Add(TemplatePart.Literal(element.Value));
                }
                else if (element.Name == Xsl + "choose")
                {
                    parts.Add(ReadChoose(element));
                }
                else if (element.Name == Xsl + "value-of")
                {
                    parts.Add(TemplatePart.Field(new[] { (string)element.Attribute("select")! }, string.Empty));
                }
                else
                {
                    throw new FormatException("the template editor writes no <" + element.Name.LocalName + "> into a template");
                }
            }

            FlushText();
            return Merge(parts);
        }

        /// <summary>A template document in the form real exports and the template editor write: the given output method (text in real ones) and content.</summary>
        public static string Stylesheet(string content, string method = "text") =>
            "<?xml version=\"1.0\" ?><xsl:stylesheet xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" version=\"1.0\">" +
            "<xsl:output method=\"" + method + "\" indent=\"no\"/><xsl:template match=\"/data\">" + content + "</xsl:template></xsl:stylesheet>";

        /// <summary>The xsl:output method of a stylesheet ("text" for real templates), or null when it declares none.</summary>
        public static string? OutputMethod(string stylesheet) =>
            (string?)XDocument.Parse(stylesheet).Root!.Element(Xsl + "output")?.Attribute("method");

        /// <summary>
        /// The text the editor's parts stand for, for the record data Dataverse renders a template against
        /// (<c>&lt;data&gt;&lt;table&gt;&lt;column&gt;…</c>): literal text as it is, each field the first of its columns
        /// that has a value, else its default. No value is escaped: templates are rendered with the text output method.
        /// </summary>
        public static string Expected(IReadOnlyList<TemplatePart> parts, XElement data)
        {
            var text = new System.Text.StringBuilder();
            foreach (var part in parts)
            {
                if (!part.IsField)
                {
                    text.Append(part.Text);
                    continue;
                }

                var value = part.Fields.Select(path => path.Split('/'))
                    .Select(path => data.Element(path[0])?.Element(path[1])?.Value)
                    .FirstOrDefault(v => !string.IsNullOrEmpty(v));
                text.Append(value ?? part.Default);
            }

            return text.ToString();
        }

        private static TemplatePart ReadChoose(XElement choose)
        {
            var fields = new List<string>();
            foreach (var when in choose.Elements(Xsl + "when"))
            {
                var test = (string)when.Attribute("test")!;
                var select = (string?)when.Element(Xsl + "value-of")?.Attribute("select");
                if (select != test)
                {
                    throw new FormatException("a dynamic field tests and selects the same column; found test '" + test + "', select '" + select + "'");
                }

                fields.Add(test);
            }

            return TemplatePart.Field(fields, choose.Element(Xsl + "otherwise")?.Value ?? string.Empty);
        }

        /// <summary>Adjacent literal pieces are one piece: the editor may split its text in CDATA sections anywhere.</summary>
        private static IReadOnlyList<TemplatePart> Merge(List<TemplatePart> parts)
        {
            var merged = new List<TemplatePart>();
            foreach (var part in parts)
            {
                if (!part.IsField && merged.Count > 0 && !merged[merged.Count - 1].IsField)
                {
                    merged[merged.Count - 1] = TemplatePart.Literal(merged[merged.Count - 1].Text + part.Text);
                }
                else
                {
                    merged.Add(part);
                }
            }

            return merged;
        }
    }
}
