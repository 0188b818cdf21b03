using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using EmergencySolution.Configuration;
using EmergencySolution.Model;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Readiness
{
    /// <summary>
    /// The values of the OriginNumberType parameter: which path an emergency call from the agent's number takes.
    /// Microsoft documents two paths that reach emergency services through Microsoft: a calling-plan number, or a
    /// direct-offer number when no direct-routing rule matches the emergency number. Anything else goes through the
    /// customer's own carrier, which must then handle emergency calls.
    /// </summary>
    internal static class OriginNumberTypes
    {
        public const string CallingPlan = "CallingPlan";
        public const string DirectOffer = "DirectOffer";
        public const string DirectRouting = "DirectRouting";
    }

    /// <summary>
    /// The direct-routing rules that decide whether a direct-offer number still reaches emergency services through
    /// Microsoft. They live in the Azure Communication Services resource (voice routing rules: a number pattern per
    /// route), which a plugin cannot reach: no outbound calls from the sandbox, and Dataverse holds no copy. So admins
    /// who use direct offer mirror the number patterns of their direct-routing rules into the environment variable
    /// emc_DirectRoutingNumberPatterns (shipped with the default []) (JSON array of .NET regular expressions, e.g. ["^\\+?1?911$"]).
    /// </summary>
    /// <remarks>
    /// Read only when the path is DirectOffer, so the common calling-plan path costs nothing. An empty or absent variable means
    /// "no direct-routing rules"; a malformed one is reported as a readiness line rather than guessed at.
    /// </remarks>
    internal sealed class DirectRoutingRules
    {
        public const string EnvironmentVariableSchemaName = "emc_DirectRoutingNumberPatterns";

        private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

        private DirectRoutingRules(IReadOnlyList<string> patterns, string? problem)
        {
            Patterns = patterns;
            Problem = problem;
        }

        public static DirectRoutingRules None { get; } = new DirectRoutingRules(Array.Empty<string>(), null);

        public IReadOnlyList<string> Patterns { get; }

        /// <summary>Why the configured value could not be used (null when it could).</summary>
        public string? Problem { get; }

        /// <summary>One RetrieveMultiple: the definition outer-joined to its current value (the value wins, as on the platform).</summary>
        public static DirectRoutingRules Load(IOrganizationService service)
        {
            var query = new QueryExpression(EnvironmentVariables.DefinitionEntityName)
            {
                ColumnSet = new ColumnSet(EnvironmentVariables.SchemaName, EnvironmentVariables.DefaultValue),
                NoLock = true,
            };
            query.Criteria.AddCondition(EnvironmentVariables.SchemaName, ConditionOperator.Equal, EnvironmentVariableSchemaName);
            var value = query.AddLink(EnvironmentVariables.ValueEntityName, EnvironmentVariables.DefinitionId,
                EnvironmentVariables.DefinitionId, JoinOperator.LeftOuter);
            value.EntityAlias = "envvalue";
            value.Columns = new ColumnSet(EnvironmentVariables.Value);

            return FromRows(service.RetrieveMultiple(query).Entities);
        }

        /// <summary>Picks this variable's row out of environment variable rows (definition + aliased "envvalue" value).</summary>
        public static DirectRoutingRules FromRows(System.Collections.Generic.IEnumerable<Entity> rows)
        {
            foreach (var row in rows)
            {
                var schemaName = row.GetAttributeValue<string>(EnvironmentVariables.SchemaName);
                if (schemaName != null && !string.Equals(schemaName, EnvironmentVariableSchemaName, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var current = row.GetAttributeValue<AliasedValue>("envvalue." + EnvironmentVariables.Value)?.Value as string;
                var text = !string.IsNullOrWhiteSpace(current) ? current : row.GetAttributeValue<string>(EnvironmentVariables.DefaultValue);
                return Parse(text);
            }

            return None;
        }

        /// <summary>Parses a JSON array of strings; each must be a valid regular expression.</summary>
        public static DirectRoutingRules Parse(string? json)
        {
            if (string.IsNullOrWhiteSpace(json))
            {
                return None;
            }

            var patterns = new List<string>();
            if (!TryParseStringArray(json!, patterns))
            {
                return new DirectRoutingRules(Array.Empty<string>(),
                    "The environment variable " + EnvironmentVariableSchemaName + " is not a JSON array of strings, such as [\"^\\\\+?1?911$\"].");
            }

            foreach (var pattern in patterns)
            {
                try
                {
                    _ = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
                }
                catch (ArgumentException)
                {
                    return new DirectRoutingRules(Array.Empty<string>(),
                        "The environment variable " + EnvironmentVariableSchemaName + " holds an invalid pattern: '" + pattern + "'.");
                }
            }

            return new DirectRoutingRules(patterns, null);
        }

        /// <summary>The first pattern that matches the number (digits as dialed, or with a leading '+'), or null.</summary>
        public string? FindRuleCovering(string emergencyNumber)
        {
            foreach (var pattern in Patterns)
            {
                var regex = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
                try
                {
                    if (regex.IsMatch(emergencyNumber) || regex.IsMatch("+" + emergencyNumber))
                    {
                        return pattern;
                    }
                }
                catch (RegexMatchTimeoutException)
                {
                    // A pattern too slow to decide is treated as covering: claiming the safe path would be the worse error.
                    return pattern;
                }
            }

            return null;
        }

        /// <summary>The value as a flat JSON list of strings (<see cref="JsonShapeReader"/>); false when it is anything else.</summary>
        private static bool TryParseStringArray(string json, List<string> into)
        {
            try
            {
                var reader = new JsonShapeReader(json);
                var items = reader.ReadStringArray();
                reader.ExpectEnd();
                into.AddRange(items);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }
}
