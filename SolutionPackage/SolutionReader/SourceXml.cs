using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;

namespace EmergencySolution.SolutionReader
{
    /// <summary>A file of src with its path relative to src (forward slashes) and its parsed XML.</summary>
    public sealed record SourceXml(string RelativePath, XDocument Document)
    {
        public XElement Root => Document.Root!;
    }

    /// <summary>One reason the solution source is wrong, pinned to the file (relative to src, or a zip entry) that causes it.</summary>
    public sealed record CheckFailure(string File, string Reason)
    {
        public override string ToString() => $"{File}: {Reason}";
    }

    /// <summary>Tolerant readers of the XML values the unpacked files hold: a bad value reads as empty, the checks report it.</summary>
    public static class XmlValues
    {
        public static Guid ParseGuid(string? text) =>
            Guid.TryParse(text?.Trim().Trim('{', '}'), out var id) ? id : Guid.Empty;

        public static int? ParseInt(string? text) =>
            int.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : (int?)null;

        /// <summary>"0"/"1" and "false"/"true" (exports use both spellings).</summary>
        public static bool ParseBool(string? text)
        {
            var value = text?.Trim();
            return value == "1" || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>A comma-separated list (filtering attributes, image attributes), trimmed, without empty entries.</summary>
        public static IReadOnlyList<string> SplitList(string? text) =>
            (text ?? string.Empty).Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();

        public static string? Trimmed(XElement? element)
        {
            var value = element?.Value.Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }
    }
}
