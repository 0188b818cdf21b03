using System;
using System.Collections.Generic;

namespace EmergencySolution.Model
{
    /// <summary>
    /// The format of emc_emergencycall.emc_warnings (a base room, so every room that records a warning can use it): one warning a line, capped at the column's 4000 characters (the end is
    /// cut and marked with "…", so a long list never fails the write that records it).
    /// </summary>
    internal static class CallWarnings
    {
        public const int MaxLength = 4000;

        /// <summary>The column value for a new call's warnings.</summary>
        public static string Join(IEnumerable<string> warnings) => Cap(string.Join("\n", warnings));

        /// <summary>The column value with one more warning after the ones already recorded.</summary>
        public static string Append(string? existing, string warning) =>
            Cap(string.IsNullOrEmpty(existing) ? warning : existing + "\n" + warning);

        /// <summary>The recorded warnings, one a line, back as a list.</summary>
        public static string[] Split(string? recorded) =>
            (recorded ?? string.Empty).Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);

        private static string Cap(string text) => text.Length <= MaxLength ? text : text.Substring(0, MaxLength - 1) + "…";
    }
}
