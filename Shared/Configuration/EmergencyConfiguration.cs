using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using EmergencySolution.Model;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Configuration
{
    /// <summary>
    /// The solution's three environment variables, read in one round trip. A bad value never stops an emergency
    /// call: it falls back to the design default and is reported in <see cref="ConfigurationWarnings"/>, so Start can
    /// return it as a warning and an admin sees what to fix.
    /// </summary>
    internal sealed class EmergencyConfiguration
    {
        public const string DefaultEmergencyNumbersJson =
            "{\"US\":[\"911\"],\"PR\":[\"911\"],\"CA\":[\"911\"],\"GB\":[\"999\",\"112\",\"911\"],\"DK\":[\"112\",\"911\"]}";

        public const int DefaultCallbackLeaseMinutes = 60;

        public const string DefaultNotificationTemplateTitle = "Emergency Call Notification Template";

        // A lease shorter than a minute cannot be called back; longer than a day keeps a number (and the dialed
        // number on the call row) far beyond any responder's need.
        private const int MinimumLeaseMinutes = 1;
        private const int MaximumLeaseMinutes = 1440;

        private const string ValueAlias = "envvalue";

        private readonly Dictionary<string, string[]> _numbersByCountry;

        private EmergencyConfiguration(Dictionary<string, string[]> numbersByCountry, int callbackLeaseMinutes,
            string notificationTemplateTitle, IReadOnlyList<string> warnings)
        {
            _numbersByCountry = numbersByCountry;
            SupportedCountries = numbersByCountry.Keys.OrderBy(key => key, StringComparer.Ordinal).ToArray();
            CallbackLeaseMinutes = callbackLeaseMinutes;
            NotificationTemplateTitle = notificationTemplateTitle;
            ConfigurationWarnings = warnings;
        }

        /// <summary>The design defaults, as shipped in the solution's environment variable definitions.</summary>
        public static EmergencyConfiguration Defaults { get; } = new EmergencyConfiguration(
            ParseEmergencyNumbers(DefaultEmergencyNumbersJson, out _)!, DefaultCallbackLeaseMinutes,
            DefaultNotificationTemplateTitle, Array.Empty<string>());

        /// <summary>Keys of emc_EmergencyNumbers: upper-case ISO 3166 alpha-2 codes, sorted.</summary>
        public IReadOnlyList<string> SupportedCountries { get; }

        public int CallbackLeaseMinutes { get; }

        public string NotificationTemplateTitle { get; }

        /// <summary>One plain-words line per value that could not be used (and what was used instead).</summary>
        public IReadOnlyList<string> ConfigurationWarnings { get; }

        public static EmergencyConfiguration Load(IOrganizationService service)
        {
            return Load(service, null);
        }

        /// <summary>
        /// Exactly one RetrieveMultiple: the three definitions, outer-joined to their current values. A current
        /// value overrides the default value, as the platform does.
        /// </summary>
        public static EmergencyConfiguration Load(IOrganizationService service, ITracingService? tracing)
        {
            if (service == null)
            {
                throw new ArgumentNullException(nameof(service));
            }

            return FromRows(service.RetrieveMultiple(BuildQuery()).Entities, tracing);
        }

        /// <summary>
        /// The one query behind <see cref="Load(IOrganizationService, ITracingService)"/>, for callers that batch it
        /// with other reads in one ExecuteMultiple round trip.
        /// </summary>
        public static QueryExpression BuildQuery()
        {
            var query = new QueryExpression(EnvironmentVariables.DefinitionEntityName)
            {
                ColumnSet = new ColumnSet(EnvironmentVariables.SchemaName, EnvironmentVariables.DefaultValue),
                NoLock = true,
            };
            query.Criteria.AddCondition(EnvironmentVariables.SchemaName, ConditionOperator.In,
                EnvironmentVariables.EmergencyNumbers, EnvironmentVariables.CallbackLeaseMinutes,
                EnvironmentVariables.NotificationTemplateTitle);
            var valueLink = query.AddLink(EnvironmentVariables.ValueEntityName, EnvironmentVariables.DefinitionId,
                EnvironmentVariables.DefinitionId, JoinOperator.LeftOuter);
            valueLink.EntityAlias = ValueAlias;
            valueLink.Columns = new ColumnSet(EnvironmentVariables.Value);
            return query;
        }

        /// <summary>Builds the configuration from the rows <see cref="BuildQuery"/> returns.</summary>
        public static EmergencyConfiguration FromRows(IEnumerable<Entity> rows, ITracingService? tracing)
        {
            var effective = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var row in rows)
            {
                var schemaName = row.GetAttributeValue<string>(EnvironmentVariables.SchemaName);
                if (string.IsNullOrEmpty(schemaName))
                {
                    continue;
                }

                var current = row.GetAttributeValue<AliasedValue>(ValueAlias + "." + EnvironmentVariables.Value)?.Value as string;
                var value = !string.IsNullOrWhiteSpace(current) ? current : row.GetAttributeValue<string>(EnvironmentVariables.DefaultValue);
                if (!effective.ContainsKey(schemaName) || !string.IsNullOrWhiteSpace(current))
                {
                    effective[schemaName] = value;
                }
            }

            var configuration = FromValues(
                Lookup(effective, EnvironmentVariables.EmergencyNumbers),
                Lookup(effective, EnvironmentVariables.CallbackLeaseMinutes),
                Lookup(effective, EnvironmentVariables.NotificationTemplateTitle));
            if (tracing != null)
            {
                foreach (var warning in configuration.ConfigurationWarnings)
                {
                    tracing.Trace("Configuration: {0}", warning);
                }
            }

            return configuration;
        }

        /// <summary>Builds the configuration from raw environment variable texts (null = not set).</summary>
        public static EmergencyConfiguration FromValues(string? emergencyNumbersJson, string? callbackLeaseMinutes,
            string? notificationTemplateTitle)
        {
            var warnings = new List<string>();

            Dictionary<string, string[]> numbers;
            if (string.IsNullOrWhiteSpace(emergencyNumbersJson))
            {
                numbers = Defaults._numbersByCountry;
            }
            else
            {
                var parsed = ParseEmergencyNumbers(emergencyNumbersJson!, out var problem);
                if (parsed == null)
                {
                    warnings.Add(EnvironmentVariables.EmergencyNumbers + " is not usable (" + problem +
                        "); the default list (US, PR, CA: 911; GB: 999, 112, 911; DK: 112, 911) is used.");
                    numbers = Defaults._numbersByCountry;
                }
                else
                {
                    numbers = parsed;
                }
            }

            var leaseMinutes = DefaultCallbackLeaseMinutes;
            if (!string.IsNullOrWhiteSpace(callbackLeaseMinutes))
            {
                var text = callbackLeaseMinutes!.Trim();
                if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var minutes) &&
                    minutes == decimal.Truncate(minutes) && minutes >= MinimumLeaseMinutes && minutes <= MaximumLeaseMinutes)
                {
                    leaseMinutes = (int)minutes;
                }
                else
                {
                    warnings.Add(EnvironmentVariables.CallbackLeaseMinutes + " is \"" + Shorten(text) +
                        "\", not a whole number of minutes from " + MinimumLeaseMinutes + " to " + MaximumLeaseMinutes +
                        "; " + DefaultCallbackLeaseMinutes + " minutes are used.");
                }
            }

            var title = string.IsNullOrWhiteSpace(notificationTemplateTitle)
                ? DefaultNotificationTemplateTitle
                : notificationTemplateTitle!.Trim();

            return new EmergencyConfiguration(numbers, leaseMinutes, title, warnings.ToArray());
        }

        public bool IsSupportedCountry(string? countryCode)
        {
            return NormalizeCountry(countryCode) is string code && _numbersByCountry.ContainsKey(code);
        }

        /// <summary>The emergency numbers of a country (digits only); empty for an unsupported country.</summary>
        public IReadOnlyList<string> EmergencyNumbersFor(string countryCode)
        {
            return NormalizeCountry(countryCode) is string code && _numbersByCountry.TryGetValue(code, out var numbers)
                ? numbers
                : Array.Empty<string>();
        }

        /// <summary>Digits only, exact: "911" and "9-1-1" match, "1911" and "9112" do not.</summary>
        public bool IsEmergencyNumber(string countryCode, string? dialed)
        {
            var digits = DigitsOnly(dialed);
            return digits.Length > 0 && EmergencyNumbersFor(countryCode).Contains(digits, StringComparer.Ordinal);
        }

        public bool IsEmergencyNumberInAnyCountry(string? dialed)
        {
            var digits = DigitsOnly(dialed);
            return digits.Length > 0 && _numbersByCountry.Values.Any(numbers => numbers.Contains(digits, StringComparer.Ordinal));
        }

        public static string DigitsOnly(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return string.Empty;
            }

            var builder = new StringBuilder(value!.Length);
            foreach (var character in value)
            {
                // Only ASCII digits: a full-width or Arabic-Indic digit is not something a dialer sends.
                if (character >= '0' && character <= '9')
                {
                    builder.Append(character);
                }
            }

            return builder.ToString();
        }

        /// <summary>Upper-case two-letter code, or null when the text is not one.</summary>
        public static string? NormalizeCountry(string? countryCode)
        {
            if (countryCode == null)
            {
                return null;
            }

            var code = countryCode.Trim().ToUpperInvariant();
            return code.Length == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z' ? code : null;
        }

        private static string? Lookup(Dictionary<string, string?> values, string key)
        {
            return values.TryGetValue(key, out var value) ? value : null;
        }

        private static string Shorten(string text)
        {
            return text.Length <= 40 ? text : text.Substring(0, 40) + "…";
        }

        /// <summary>One country's list, <c>["digits",...]</c>: short digit strings, duplicates dropped, at least one.</summary>
        private static string[] ReadCountryNumbers(JsonShapeReader reader, string country)
        {
            var numbers = new List<string>();
            foreach (var raw in reader.ReadStringArray())
            {
                var number = raw.Trim();
                if (number.Length == 0 || number.Length > 6 || DigitsOnly(number) != number)
                {
                    throw new FormatException("\"" + Shorten(number) + "\" for " + country +
                        " is not a short emergency number of digits");
                }

                if (!numbers.Contains(number))
                {
                    numbers.Add(number);
                }
            }

            if (numbers.Count == 0)
            {
                throw new FormatException("country " + country + " has no numbers");
            }

            return numbers.ToArray();
        }

        /// <summary>
        /// Parses <c>{"CC":["digits",...],...}</c>. A tiny strict reader instead of a JSON library, because the
        /// sandbox's System.Text.Json version cannot be relied on and the shape is fixed. Returns null and a
        /// reason when the text is not exactly that shape or a value is not a plausible emergency number.
        /// </summary>
        private static Dictionary<string, string[]>? ParseEmergencyNumbers(string json, out string problem)
        {
            var reader = new JsonShapeReader(json);
            var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
            try
            {
                reader.Expect('{');
                if (!reader.TryConsume('}'))
                {
                    do
                    {
                        var key = reader.ReadString();
                        var country = NormalizeCountry(key);
                        if (country == null)
                        {
                            throw new FormatException("\"" + Shorten(key) + "\" is not a two-letter country code");
                        }

                        if (result.ContainsKey(country))
                        {
                            throw new FormatException("country " + country + " appears twice");
                        }

                        reader.Expect(':');
                        result[country] = ReadCountryNumbers(reader, country);
                    }
                    while (reader.TryConsume(','));
                    reader.Expect('}');
                }

                reader.ExpectEnd();
            }
            catch (FormatException exception)
            {
                problem = exception.Message;
                return null;
            }

            if (result.Count == 0)
            {
                problem = "it lists no country";
                return null;
            }

            problem = string.Empty;
            return result;
        }
    }
}
