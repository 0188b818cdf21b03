using System;
using System.Collections.Generic;

namespace EmergencySolution.Guards
{
    /// <summary>
    /// The ways carriers and people write a dialed emergency number, reduced to the short numbers they can mean. Start
    /// (which number was dialed) and the history guards (is this row's number an emergency number) both ask this, so a
    /// form one accepts the other recognises.
    /// </summary>
    /// <remarks>
    /// Recognised beyond the bare digits ("911", "9-1-1"): a trailing "#" or "*" that some dialers append ("911#"); a
    /// country calling code written with "+" ("+1 911", "+44 999", and "+1911" for the calling codes of the supported
    /// countries); the North American long-distance prefix written as its own group ("1-911", "1 911"). Not recognised,
    /// on purpose: the same digits run together without "+" ("1911") and extra digits after the number ("9112"). Those
    /// are ordinary numbers that merely start or end like an emergency number, and treating them as emergencies would
    /// refuse ordinary call history.
    /// </remarks>
    internal static class EmergencyDialForms
    {
        /// <summary>Calling codes of the supported countries: recognised after "+" even without a separator.</summary>
        private static readonly string[] KnownCallingCodes = { "1", "44", "45" };

        private const string Separators = " -().";

        /// <summary>
        /// The digit strings a dialed text can mean, the plain digits first: "+1 911" → "1911", "911"; "911#" → "911";
        /// "1911" → "1911". Empty for a text without digits.
        /// </summary>
        public static IReadOnlyList<string> Candidates(string? dialed)
        {
            var result = new List<string>(2);
            if (string.IsNullOrEmpty(dialed))
            {
                return result;
            }

            var text = dialed!.Trim().TrimEnd('#', '*', ' ');
            var groups = DigitGroups(text, out var allDigits);
            if (allDigits.Length == 0)
            {
                return result;
            }

            result.Add(allDigits);
            if (groups.Count == 0)
            {
                return result;
            }

            var startsWithPlus = text.Length > 0 && text[0] == '+';
            if (startsWithPlus && groups.Count > 1 && groups[0].Length <= 3)
            {
                // "+1 911", "+44-999": the first group is the calling code.
                Add(result, allDigits.Substring(groups[0].Length));
            }
            else if (startsWithPlus && groups.Count == 1)
            {
                // "+1911": only a calling code we know can be split off without a separator.
                foreach (var code in KnownCallingCodes)
                {
                    if (allDigits.Length > code.Length && allDigits.StartsWith(code, StringComparison.Ordinal))
                    {
                        Add(result, allDigits.Substring(code.Length));
                    }
                }
            }
            else if (!startsWithPlus && groups.Count > 1 && groups[0] == "1")
            {
                // "1-911": the North American long-distance prefix written as its own group.
                Add(result, allDigits.Substring(1));
            }

            return result;
        }

        /// <summary>Does any reading of <paramref name="dialed"/> satisfy <paramref name="isEmergencyNumber"/>?</summary>
        public static bool AnyIsEmergency(string? dialed, Func<string, bool> isEmergencyNumber)
        {
            foreach (var candidate in Candidates(dialed))
            {
                if (isEmergencyNumber(candidate))
                {
                    return true;
                }
            }

            return false;
        }

        private static List<string> DigitGroups(string text, out string allDigits)
        {
            var groups = new List<string>();
            var current = new System.Text.StringBuilder();
            var all = new System.Text.StringBuilder(text.Length);
            foreach (var character in text)
            {
                if (character >= '0' && character <= '9')
                {
                    current.Append(character);
                    all.Append(character);
                }
                else if (current.Length > 0 && (Separators.IndexOf(character) >= 0 || character == '+'))
                {
                    groups.Add(current.ToString());
                    current.Clear();
                }
            }

            if (current.Length > 0)
            {
                groups.Add(current.ToString());
            }

            allDigits = all.ToString();
            return groups;
        }

        private static void Add(List<string> result, string candidate)
        {
            if (candidate.Length > 0 && !result.Contains(candidate))
            {
                result.Add(candidate);
            }
        }
    }
}
