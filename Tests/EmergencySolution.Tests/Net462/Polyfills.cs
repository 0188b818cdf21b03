// Compiled into the net462 build of the tests only (see the .csproj): what the C# compiler and the tests need that
// .NET Framework 4.6.2 lacks. The net10.0 build uses the framework's own.
namespace System.Runtime.CompilerServices
{
    /// <summary>Lets records and init-only properties compile for .NET Framework (the compiler looks it up by name).</summary>
    internal static class IsExternalInit
    {
    }
}

namespace EmergencySolution.Tests
{
    using System;

    /// <summary>
    /// String members the tests use that .NET Framework 4.6.2 lacks, with the same meaning as .NET's. As extension
    /// methods they are picked only where the framework has no such instance method, so the net10.0 build is unaffected.
    /// </summary>
    internal static class StringPolyfills
    {
        public static bool Contains(this string text, char value) => text.IndexOf(value) >= 0;

        public static bool Contains(this string text, string value, StringComparison comparison) => text.IndexOf(value, comparison) >= 0;

        public static bool StartsWith(this string text, char value) => text.Length > 0 && text[0] == value;

        public static bool EndsWith(this string text, char value) => text.Length > 0 && text[text.Length - 1] == value;

        public static string[] Split(this string text, char separator, StringSplitOptions options) => text.Split(new[] { separator }, options);

        public static string Replace(this string text, string oldValue, string? newValue, StringComparison comparison)
        {
            var result = new System.Text.StringBuilder();
            var start = 0;
            int index;
            while (oldValue.Length > 0 && (index = text.IndexOf(oldValue, start, comparison)) >= 0)
            {
                result.Append(text, start, index - start).Append(newValue);
                start = index + oldValue.Length;
            }

            return result.Append(text, start, text.Length - start).ToString();
        }
    }
}
