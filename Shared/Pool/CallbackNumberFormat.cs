using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace EmergencySolution.Pool
{
    /// <summary>
    /// What a callback pool number must look like, in one place for everyone who stores, leases or matches one: the save
    /// step on emc_callbacknumber (normalizes or refuses), Start (leases only valid numbers), Resolve and the history
    /// guard (match the stored E.164 text exactly) and the readiness check (counts only valid numbers).
    /// </summary>
    /// <remarks>
    /// Stored form: E.164, a "+" and 8 to 15 digits, no separators ("+12025550101"). Resolve compares that text exactly,
    /// so a number saved as "+1 (202) 555-0101" would never match a responder's callback; the save step stores the
    /// normalized form instead. The country must fit the number: the calling code of the row's country, and for the
    /// North American countries the national number plan (area code and exchange start with 2-9; 787 and 939 are
    /// Puerto Rico's area codes). For a country outside the table (an admin may add countries to emc_EmergencyNumbers)
    /// only the E.164 shape is checked, because the calling code is not known here.
    /// </remarks>
    internal static class CallbackNumberFormat
    {
        public const int MinDigits = 8;

        public const int MaxDigits = 15;

        /// <summary>Longer than any number written with separators; anything beyond is not a phone number.</summary>
        public const int MaxInputLength = 64;

        private const string Separators = " -().";

        private static readonly string[] PuertoRicoAreaCodes = { "787", "939" };

        private static readonly Dictionary<string, CountryPlan> Plans = new Dictionary<string, CountryPlan>(StringComparer.Ordinal)
        {
            ["US"] = new CountryPlan("1", 10, 10, "+1 followed by a 10-digit number whose area code and exchange start with 2-9, outside Puerto Rico's area codes 787 and 939 (e.g. +12025550101)"),
            ["CA"] = new CountryPlan("1", 10, 10, "+1 followed by a 10-digit number whose area code and exchange start with 2-9, outside Puerto Rico's area codes 787 and 939 (e.g. +14165550101)"),
            ["PR"] = new CountryPlan("1", 10, 10, "+1 followed by a 10-digit number in area code 787 or 939 (e.g. +17875550101)"),
            ["GB"] = new CountryPlan("44", 9, 10, "+44 followed by a 9- or 10-digit national number without its leading 0 (e.g. +442079460101)"),
            ["DK"] = new CountryPlan("45", 8, 8, "+45 followed by an 8-digit number (e.g. +4532120101)"),
        };

        /// <summary>
        /// Normalizes what an admin typed to the stored E.164 form, or explains why it cannot be a callback number of
        /// that country. The explanation names the value and the rule.
        /// </summary>
        public static CallbackNumberCheck Check(string? value, string? countryCode)
        {
            var country = (countryCode ?? string.Empty).Trim().ToUpperInvariant();
            if (country.Length != 2 || country[0] < 'A' || country[0] > 'Z' || country[1] < 'A' || country[1] > 'Z')
            {
                return CallbackNumberCheck.Refused("Country code \"" + Printable(countryCode) +
                    "\" of the callback number is not a two-letter ISO country code (for example US, GB, DK).");
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                return CallbackNumberCheck.Refused("The callback number is empty; enter it in E.164 form, " + RuleFor(country) + ".");
            }

            var text = value!.Trim();
            if (text.Length > MaxInputLength)
            {
                return CallbackNumberCheck.Refused(string.Format(CultureInfo.InvariantCulture,
                    "The callback number is {0} characters long; a phone number in E.164 form is {1}.", text.Length, RuleFor(country)));
            }

            var quoted = "Callback number \"" + Printable(text) + "\"";
            if (text[0] != '+')
            {
                return CallbackNumberCheck.Refused(quoted + " does not start with \"+\" and the country calling code; " +
                    "enter it in E.164 form, " + RuleFor(country) + ".");
            }

            var digits = new StringBuilder(text.Length);
            for (var index = 1; index < text.Length; index++)
            {
                var character = text[index];
                if (character >= '0' && character <= '9')
                {
                    digits.Append(character);
                }
                else if (Separators.IndexOf(character) < 0)
                {
                    return CallbackNumberCheck.Refused(quoted + " contains '" + Printable(character.ToString()) +
                        "', which is not a digit or a separator (space, hyphen, dot, parentheses).");
                }
            }

            var all = digits.ToString();
            if (all.Length < MinDigits || all.Length > MaxDigits || all[0] == '0')
            {
                return CallbackNumberCheck.Refused(string.Format(CultureInfo.InvariantCulture,
                    "{0} has {1} digits; E.164 numbers have {2} to {3} digits after the \"+\" and the calling code does not start with 0. {4} numbers are {5}.",
                    quoted, all.Length, MinDigits, MaxDigits, country, RuleFor(country)));
            }

            var problem = CountryMismatch(all, country);
            if (problem != null)
            {
                return CallbackNumberCheck.Refused(quoted + " does not fit country " + country + ": " + problem + ". " +
                    country + " numbers are " + RuleFor(country) + ".");
            }

            return CallbackNumberCheck.Valid("+" + all, country);
        }

        /// <summary>
        /// Is this stored text a valid callback number of the country, exactly as the save step stores it? Start and the
        /// readiness check skip a row that is not (one saved before the step existed), and Resolve never matches one.
        /// </summary>
        public static bool IsValidStored(string? storedNumber, string? countryCode)
        {
            if (string.IsNullOrEmpty(storedNumber))
            {
                return false;
            }

            var check = Check(storedNumber, countryCode);
            return check.IsValid && string.Equals(check.Normalized, storedNumber, StringComparison.Ordinal);
        }

        private static string? CountryMismatch(string digits, string country)
        {
            if (!Plans.TryGetValue(country, out var plan))
            {
                return null;
            }

            if (!digits.StartsWith(plan.CallingCode, StringComparison.Ordinal))
            {
                return "its calling code is not +" + plan.CallingCode;
            }

            var national = digits.Substring(plan.CallingCode.Length);
            if (national.Length < plan.MinNationalDigits || national.Length > plan.MaxNationalDigits)
            {
                return string.Format(CultureInfo.InvariantCulture, "its national number has {0} digits", national.Length);
            }

            if (national[0] == '0')
            {
                return "its national number starts with 0 (leave out the trunk prefix)";
            }

            if (plan.CallingCode == "1")
            {
                if (national[0] < '2' || national[3] < '2')
                {
                    return "its area code or exchange starts with 0 or 1";
                }

                var inPuertoRico = Array.IndexOf(PuertoRicoAreaCodes, national.Substring(0, 3)) >= 0;
                if (country == "PR" && !inPuertoRico)
                {
                    return "area code " + national.Substring(0, 3) + " is not a Puerto Rico area code";
                }

                if (country != "PR" && inPuertoRico)
                {
                    return "area code " + national.Substring(0, 3) + " belongs to Puerto Rico (country PR)";
                }
            }

            return null;
        }

        private static string RuleFor(string country) =>
            Plans.TryGetValue(country, out var plan)
                ? plan.Rule
                : "a \"+\", the country calling code and the number, " + MinDigits + " to " + MaxDigits + " digits in all";

        private static string Printable(string? value) =>
            new string((value ?? string.Empty).Trim().Select(c => char.IsControl(c) ? '?' : c).ToArray());

        private sealed class CountryPlan
        {
            public CountryPlan(string callingCode, int minNationalDigits, int maxNationalDigits, string rule)
            {
                CallingCode = callingCode;
                MinNationalDigits = minNationalDigits;
                MaxNationalDigits = maxNationalDigits;
                Rule = rule;
            }

            public string CallingCode { get; }

            public int MinNationalDigits { get; }

            public int MaxNationalDigits { get; }

            public string Rule { get; }
        }
    }

    /// <summary>The outcome of <see cref="CallbackNumberFormat.Check"/>: the stored form, or the reason it is refused.</summary>
    internal sealed class CallbackNumberCheck
    {
        private CallbackNumberCheck(string? normalized, string? country, string? problem)
        {
            Normalized = normalized;
            CountryCode = country;
            Problem = problem;
        }

        public bool IsValid => Problem == null;

        /// <summary>E.164 ("+12025550101") when valid.</summary>
        public string? Normalized { get; }

        /// <summary>The upper-case country code when valid.</summary>
        public string? CountryCode { get; }

        /// <summary>A message for the admin that names the value and the rule, when refused.</summary>
        public string? Problem { get; }

        public static CallbackNumberCheck Valid(string normalized, string country) => new CallbackNumberCheck(normalized, country, null);

        public static CallbackNumberCheck Refused(string problem) => new CallbackNumberCheck(null, null, problem);
    }
}
