using System;
using System.Collections.Generic;
using System.Linq;
using EmergencySolution.Configuration;
using EmergencySolution.Model;
using EmergencySolution.Recipients;

namespace EmergencySolution.Readiness
{
    /// <summary>
    /// The prerequisites Microsoft documents for agent-initiated emergency calls, checked against data already read:
    /// no round trips. Each failed check becomes one line in plain words that names what is wrong and where an admin
    /// fixes it. Start returns these lines as warnings and never blocks; emc_GetEmergencyReadiness returns them as Checks; the user save traces the capacity line (RecipientsSaveCheck).
    /// </summary>
    internal static class ReadinessRules
    {
        public static IReadOnlyList<string> Evaluate(AgentSnapshot agent, EmergencyConfiguration config, string? countryCode,
            string? originNumberType, bool? callbackPoolHasFreeNumber)
        {
            return Evaluate(agent, config, countryCode, originNumberType, callbackPoolHasFreeNumber, null);
        }

        /// <param name="callbackPoolHasFreeNumber">null = the pool was not checked by this caller.</param>
        /// <param name="directRoutingRules">null = the direct-routing rules were not read by this caller (no line about them).</param>
        public static IReadOnlyList<string> Evaluate(AgentSnapshot agent, EmergencyConfiguration config, string? countryCode,
            string? originNumberType, bool? callbackPoolHasFreeNumber, DirectRoutingRules? directRoutingRules)
        {
            if (agent == null)
            {
                throw new ArgumentNullException(nameof(agent));
            }

            if (config == null)
            {
                throw new ArgumentNullException(nameof(config));
            }

            // config.ConfigurationWarnings are not repeated here: each caller reports them once, next to these lines.
            var lines = new List<string>();
            if (!agent.Exists)
            {
                lines.Add("No user with id " + agent.AgentId + " exists, so nothing else could be checked. Check the AgentId.");
                return lines;
            }

            var who = DisplayName(agent);
            AddCapacityLine(lines, agent, who);
            var country = AddCountryLine(lines, config, countryCode);
            AddNotificationLines(lines, agent, who);
            AddPoolLine(lines, country, callbackPoolHasFreeNumber);
            AddOriginLine(lines, config, country, originNumberType, directRoutingRules);
            return lines;
        }

        /// <summary>The capacity-profile line alone (null when the agent has a voice outbound profile), for the conversation guard.</summary>
        public static string? DescribeCapacityProblem(AgentSnapshot agent)
        {
            var lines = new List<string>();
            AddCapacityLine(lines, agent, DisplayName(agent));
            return lines.Count == 0 ? null : lines[0];
        }

        private static string DisplayName(AgentSnapshot agent) =>
            string.IsNullOrWhiteSpace(agent.FullName) ? "The agent" : agent.FullName!;

        private static void AddCapacityLine(List<string> lines, AgentSnapshot agent, string who)
        {
            if (agent.HasVoiceOutboundProfile)
            {
                return;
            }

            if (!agent.Exists)
            {
                lines.Add("No user with id " + agent.AgentId + " exists, so the agent has no capacity profile.");
                return;
            }

            const string Fix = "Emergency calls need a capacity profile that is used by a voice outbound profile (an active outbound voice workstream).";
            if (!agent.HasCapacityProfile)
            {
                lines.Add(who + " has no active capacity profile. " + Fix
                    + " Assign one to the user in the admin center (User management > Users > Capacity profiles).");
                return;
            }

            var profiles = Quote(agent.CapacityProfileNames);
            if (agent.HasInboundOnlyVoiceProfile)
            {
                lines.Add(who + "'s capacity profiles (" + profiles + ") are used only by inbound voice profiles ("
                    + Quote(agent.LinkedWorkstreams.Where(w => w.IsVoice).Select(w => w.Name)) + "). " + Fix
                    + " Add one of these capacity profiles to a voice outbound profile.");
                return;
            }

            if (agent.HasNonVoiceProfileOnly)
            {
                lines.Add(who + "'s capacity profiles (" + profiles + ") are used only by non-voice workstreams ("
                    + Quote(agent.LinkedWorkstreams.Select(w => w.Name)) + "). " + Fix
                    + " Add one of these capacity profiles to a voice outbound profile.");
                return;
            }

            lines.Add(who + "'s capacity profiles (" + profiles + ") are not used by any active outbound or inbound profile. " + Fix
                + " Add one of them to a voice outbound profile.");
        }

        private static string? AddCountryLine(List<string> lines, EmergencyConfiguration config, string? countryCode)
        {
            var supported = string.Join(", ", config.SupportedCountries);
            if (string.IsNullOrWhiteSpace(countryCode))
            {
                lines.Add("No country was given (CountryCode). Emergency calls are supported in " + supported
                    + "; the browser location must be in one of them.");
                return null;
            }

            if (!config.IsSupportedCountry(countryCode))
            {
                lines.Add("Country '" + countryCode!.Trim() + "' is not supported for emergency calls. Supported countries: " + supported
                    + " (environment variable " + EnvironmentVariables.EmergencyNumbers + ").");
                return null;
            }

            return EmergencyConfiguration.NormalizeCountry(countryCode);
        }

        private static void AddNotificationLines(List<string> lines, AgentSnapshot agent, string who)
        {
            var recipients = RecipientList.Normalize(agent.RecipientsRaw);
            if (recipients.Addresses.Count == 0 && recipients.IsValid)
            {
                // No recipients configured: no email is sent, so the mailbox does not matter.
                return;
            }

            if (!recipients.IsValid)
            {
                lines.Add(who + "'s Emergency Call Notifications list (Omnichannel tab of the user) has problems: "
                    + string.Join("; ", recipients.Errors.Select(e => e.Message)) + ". Correct the list and save the user.");
            }

            if (!agent.MailboxExists)
            {
                lines.Add(who + " has notification recipients but no mailbox, so the notification email cannot be sent."
                    + " Create and enable a mailbox for the user (Settings > Email configuration > Mailboxes).");
                return;
            }

            var mailbox = string.IsNullOrWhiteSpace(agent.MailboxName) ? "The mailbox" : "The mailbox '" + agent.MailboxName + "'";
            if (!agent.MailboxEnabledForSending)
            {
                lines.Add(mailbox + " of " + who + " is not enabled for outgoing email, so the notification email cannot be sent."
                    + " Activate the mailbox and set Outgoing Email to Server-Side Synchronization.");
            }

            if (!agent.MailboxApproved)
            {
                lines.Add(mailbox + " of " + who + " does not have an approved email address, so the notification email cannot be sent."
                    + " Approve the email address on the mailbox.");
            }
        }

        private static void AddPoolLine(List<string> lines, string? country, bool? callbackPoolHasFreeNumber)
        {
            if (country == null || callbackPoolHasFreeNumber != false)
            {
                return;
            }

            lines.Add("The callback number pool has no free number for " + country + ", so a dropped emergency call could not be called back."
                + " Add callback numbers for " + country + " (Emergency Callback Numbers) or wait until a lease expires.");
        }

        private static void AddOriginLine(List<string> lines, EmergencyConfiguration config, string? country,
            string? originNumberType, DirectRoutingRules? directRoutingRules)
        {
            const string Carrier = "the carrier behind that number must handle emergency calls; confirm it with the carrier.";
            var path = originNumberType?.Trim();
            if (string.Equals(path, OriginNumberTypes.CallingPlan, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            if (string.Equals(path, OriginNumberTypes.DirectOffer, StringComparison.OrdinalIgnoreCase))
            {
                if (directRoutingRules == null)
                {
                    return;
                }

                if (directRoutingRules.Problem != null)
                {
                    lines.Add(directRoutingRules.Problem + " Whether a direct-routing rule takes the emergency number could not be checked.");
                    return;
                }

                var numbers = country != null ? config.EmergencyNumbersFor(country) : Array.Empty<string>();
                foreach (var number in numbers)
                {
                    var rule = directRoutingRules.FindRuleCovering(number);
                    if (rule != null)
                    {
                        lines.Add("The origin number is a direct-offer number, but the direct-routing rule '" + rule + "' ("
                            + DirectRoutingRules.EnvironmentVariableSchemaName + ") matches the emergency number " + number
                            + ", so the call would take direct routing: " + Carrier);
                        return;
                    }
                }

                return;
            }

            if (string.Equals(path, OriginNumberTypes.DirectRouting, StringComparison.OrdinalIgnoreCase))
            {
                lines.Add("The origin number uses direct routing: " + Carrier);
                return;
            }

            lines.Add((string.IsNullOrEmpty(path)
                    ? "The origin number path was not given (OriginNumberType)"
                    : "The origin number path '" + path + "' is not one of CallingPlan, DirectOffer, DirectRouting")
                + ". Unless the number is a calling-plan number, or a direct-offer number that no direct-routing rule takes, " + Carrier);
        }

        private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(name => "'" + name + "'"));
    }
}
