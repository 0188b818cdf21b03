using System;
using System.Collections.Generic;
using EmergencySolution.Model;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Readiness
{
    /// <summary>
    /// The admin's two statements about the platform, read in the configuration's one query:
    /// emc_PlatformHandlesOnMicrosoftNumbers (<see cref="PlatformDuties"/>) and emc_CarrierPresentsPoolNumbers
    /// ("yes": the carrier presents a leased pool number as the caller id, so a call whose origin path is unknown leases one).
    /// A value that cannot be used falls back to the shipped default, with a line in <see cref="Problems"/>.
    /// </summary>
    internal sealed class PlatformSettings
    {
        private const string ValueAlias = "envvalue";

        private PlatformSettings(PlatformDuties duties, bool carrierPresentsPoolNumbers, IReadOnlyList<string> problems)
        {
            Duties = duties;
            CarrierPresentsPoolNumbers = carrierPresentsPoolNumbers;
            Problems = problems;
        }

        /// <summary>As shipped: the platform switches presence and sends the email on Microsoft numbers; the carrier is not vouched for.</summary>
        public static PlatformSettings Defaults { get; } = new PlatformSettings(PlatformDuties.ParseSetting(null), false, Array.Empty<string>());

        public PlatformDuties Duties { get; }

        public bool CarrierPresentsPoolNumbers { get; }

        public IReadOnlyList<string> Problems { get; }

        public static readonly string[] SchemaNames =
        {
            EnvironmentVariables.PlatformHandlesOnMicrosoftNumbers, EnvironmentVariables.CarrierPresentsPoolNumbers,
        };

        /// <summary>Picks the two variables out of environment variable rows (definition + aliased "envvalue" value).</summary>
        public static PlatformSettings FromRows(IEnumerable<Entity> rows)
        {
            string? duties = null;
            string? carrier = null;
            foreach (var row in rows)
            {
                var schemaName = row.GetAttributeValue<string>(EnvironmentVariables.SchemaName);
                var current = row.GetAttributeValue<AliasedValue>(ValueAlias + "." + EnvironmentVariables.Value)?.Value as string;
                var value = !string.IsNullOrWhiteSpace(current) ? current : row.GetAttributeValue<string>(EnvironmentVariables.DefaultValue);
                if (string.Equals(schemaName, EnvironmentVariables.PlatformHandlesOnMicrosoftNumbers, StringComparison.OrdinalIgnoreCase))
                {
                    duties = value;
                }
                else if (string.Equals(schemaName, EnvironmentVariables.CarrierPresentsPoolNumbers, StringComparison.OrdinalIgnoreCase))
                {
                    carrier = value;
                }
            }

            return FromValues(duties, carrier);
        }

        public static PlatformSettings FromValues(string? duties, string? carrierPresentsPoolNumbers)
        {
            var problems = new List<string>();
            var parsedDuties = PlatformDuties.ParseSetting(duties);
            if (parsedDuties.Problem != null)
            {
                problems.Add(parsedDuties.Problem);
            }

            var carrier = false;
            var text = carrierPresentsPoolNumbers?.Trim();
            if (!string.IsNullOrEmpty(text))
            {
                switch (text!.ToLowerInvariant())
                {
                    case "yes":
                    case "true":
                    case "1":
                        carrier = true;
                        break;
                    case "no":
                    case "false":
                    case "0":
                        break;
                    default:
                        problems.Add("The environment variable " + EnvironmentVariables.CarrierPresentsPoolNumbers +
                            " is neither yes nor no; no was used.");
                        break;
                }
            }

            return new PlatformSettings(parsedDuties, carrier, problems);
        }
    }
}
