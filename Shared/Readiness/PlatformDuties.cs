using System;
using System.Collections.Generic;
using System.Linq;

namespace EmergencySolution.Readiness
{
    /// <summary>
    /// Which parts of an emergency call Contact Center's built-in feature already does on the Microsoft-number path
    /// (calling plan, direct offer): Microsoft documents that it switches the agent to Do not disturb and back, and
    /// emails the recipients of "Emergency Call Notifications" (voice-channel-emergency-calling). The solution does not
    /// do those parts a second time there. Set by the environment variable emc_PlatformHandlesOnMicrosoftNumbers, a
    /// comma-separated list of <c>presence</c> and <c>email</c> (shipped: "presence,email"; "none" = the solution does both).
    /// </summary>
    /// <remarks>
    /// The same text is stored on each call (emc_lefttoplatform), so the asynchronous steps decide from the row alone and
    /// the row says afterwards who did what. Whatever the value, the solution still records the call, suppresses history,
    /// checks readiness and keeps its audit.
    /// </remarks>
    internal sealed class PlatformDuties
    {
        public const string EnvironmentVariableSchemaName = "emc_PlatformHandlesOnMicrosoftNumbers";
        public const string PresenceDuty = "presence";
        public const string EmailDuty = "email";
        public const string DefaultValue = PresenceDuty + "," + EmailDuty;

        private PlatformDuties(bool presence, bool email, string? problem)
        {
            Presence = presence;
            Email = email;
            Problem = problem;
        }

        public static PlatformDuties None { get; } = new PlatformDuties(false, false, null);

        /// <summary>The platform switches presence (so the solution does not).</summary>
        public bool Presence { get; }

        /// <summary>The platform sends the notification email (so the solution does not).</summary>
        public bool Email { get; }

        /// <summary>Why the configured value could not be used as written (null when it could).</summary>
        public string? Problem { get; }

        /// <summary>"presence,email", "presence", "email" or "" (what is stored on a call).</summary>
        public string ToStoredValue() =>
            string.Join(",", new[] { Presence ? PresenceDuty : null, Email ? EmailDuty : null }.Where(d => d != null));

        /// <summary>
        /// Parses the list. Null or blank means the shipped default; "none" means nothing. An unknown entry is reported in
        /// <see cref="Problem"/> and ignored, never guessed at.
        /// </summary>
        public static PlatformDuties ParseSetting(string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return new PlatformDuties(true, true, null);
            }

            return ParseList(value!, reportUnknown: true);
        }

        /// <summary>Reads a value stored on a call: null or blank means the solution did everything.</summary>
        public static PlatformDuties Parse(string? stored) =>
            string.IsNullOrWhiteSpace(stored) ? None : ParseList(stored!, reportUnknown: false);

        private static PlatformDuties ParseList(string value, bool reportUnknown)
        {
            var presence = false;
            var email = false;
            var unknown = new List<string>();
            foreach (var entry in value.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()))
            {
                if (entry.Equals(PresenceDuty, StringComparison.OrdinalIgnoreCase))
                {
                    presence = true;
                }
                else if (entry.Equals(EmailDuty, StringComparison.OrdinalIgnoreCase))
                {
                    email = true;
                }
                else if (!entry.Equals("none", StringComparison.OrdinalIgnoreCase) && entry.Length > 0)
                {
                    unknown.Add(entry.Length <= 40 ? entry : entry.Substring(0, 40) + "…");
                }
            }

            var problem = reportUnknown && unknown.Count > 0
                ? "The environment variable " + EnvironmentVariableSchemaName + " has entries that are neither 'presence' nor 'email' ('" +
                    string.Join("', '", unknown) + "'); they were ignored."
                : null;
            return new PlatformDuties(presence, email, problem);
        }
    }
}
