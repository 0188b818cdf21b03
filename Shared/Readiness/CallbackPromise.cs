using System;
using System.Collections.Generic;
using EmergencySolution.Configuration;
using EmergencySolution.Model;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Readiness
{
    /// <summary>
    /// What the solution may promise about the responder's callback, decided by the path the emergency call takes from
    /// the agent's number (the OriginNumberType input, checked against the direct-routing rules):
    /// <list type="bullet">
    /// <item><b>Microsoft number</b> (calling plan, or direct offer that no direct-routing rule takes): Azure Communication
    /// Services replaces the caller id with a temporary number of its own, keeps it at least 60 minutes and routes the
    /// callback straight to the agent, even with inbound calling off. No pool number: the responder never sees one.</item>
    /// <item><b>Direct routing</b> (the customer's carrier): "an emergency call is a regular call" to ACS, so the carrier's
    /// session border controller must present the leased pool number as the caller id (as with an ELIN pool); the
    /// callback router takes the callback.</item>
    /// <item><b>Unknown</b>: a pool number only where the admin has said the carrier presents pool numbers
    /// (emc_CarrierPresentsPoolNumbers); otherwise none, and the text says plainly what is and is not known.</item>
    /// </list>
    /// Sources: learn.microsoft.com/azure/communication-services/concepts/telephony/emergency-calling-concept;
    /// dynamics365/customer-service/administer/voice-channel-emergency-calling. No statement here ever holds a number:
    /// the leased number is shown only beside <see cref="CallbackPathPool"/>.
    /// </summary>
    internal sealed class CallbackPromise
    {
        /// <summary>Start's CallbackPath output: Microsoft's temporary number; CallbackNumber is empty.</summary>
        public const string CallbackPathMicrosoft = "Microsoft";

        /// <summary>Start's CallbackPath output: the leased pool number in CallbackNumber is the one the responder sees.</summary>
        public const string CallbackPathPool = "Pool";

        /// <summary>Start's CallbackPath output: no number is known to reach the agent; CallbackNumber is empty.</summary>
        public const string CallbackPathUnknown = "Unknown";

        private const string MicrosoftTemporaryNumber =
            "Microsoft gives the emergency service a temporary callback number of its own, keeps it for at least 60 minutes, " +
            "and routes a callback to it straight to the agent, even with inbound calling off.";

        private const string ReadBackWith933 =
            "An admin can hear that temporary number read back by calling the test number 933 from the same line.";

        private const string CarrierCallerId =
            "the emergency service sees whatever caller id your carrier presents, and a callback to it is not routed to the agent by this solution.";

        private CallbackPromise(int originPath, bool leasePoolNumber, PlatformDuties platformDuties)
        {
            OriginPath = originPath;
            LeasePoolNumber = leasePoolNumber;
            PlatformDuties = platformDuties;
        }

        /// <summary>emc_originpath (<see cref="OriginPathValue"/>): the path the call takes.</summary>
        public int OriginPath { get; }

        /// <summary>True when a callback number is to be leased from the pool.</summary>
        public bool LeasePoolNumber { get; }

        /// <summary>What the built-in feature does on this call (only ever something on the Microsoft-number path).</summary>
        public PlatformDuties PlatformDuties { get; }

        public bool IsMicrosoftNumber => OriginPath == OriginPathValue.CallingPlan || OriginPath == OriginPathValue.DirectOffer;

        /// <param name="originNumberType">Start's OriginNumberType: CallingPlan, DirectOffer, DirectRouting, or anything else (unknown).</param>
        /// <param name="directRoutingRules">The admin's mirror of the ACS direct-routing rules (decides where a direct-offer call goes).</param>
        /// <param name="carrierPresentsPoolNumbers">emc_CarrierPresentsPoolNumbers: the carrier presents leased pool numbers as caller id.</param>
        /// <param name="platformDuties">emc_PlatformHandlesOnMicrosoftNumbers, applied on the Microsoft-number path only.</param>
        public static CallbackPromise Decide(string? originNumberType, DirectRoutingRules directRoutingRules, EmergencyConfiguration configuration,
            string? countryCode, bool carrierPresentsPoolNumbers, PlatformDuties platformDuties)
        {
            var path = originNumberType?.Trim();
            if (string.Equals(path, OriginNumberTypes.CallingPlan, StringComparison.OrdinalIgnoreCase))
            {
                return new CallbackPromise(OriginPathValue.CallingPlan, false, platformDuties);
            }

            if (string.Equals(path, OriginNumberTypes.DirectOffer, StringComparison.OrdinalIgnoreCase))
            {
                return DirectOfferTakesDirectRouting(directRoutingRules, configuration, countryCode)
                    ? new CallbackPromise(OriginPathValue.DirectRouting, true, PlatformDuties.None)
                    : new CallbackPromise(OriginPathValue.DirectOffer, false, platformDuties);
            }

            if (string.Equals(path, OriginNumberTypes.DirectRouting, StringComparison.OrdinalIgnoreCase))
            {
                return new CallbackPromise(OriginPathValue.DirectRouting, true, PlatformDuties.None);
            }

            return new CallbackPromise(OriginPathValue.Unknown, carrierPresentsPoolNumbers, PlatformDuties.None);
        }

        /// <summary>Start's CallbackPath output for this promise once the lease is known.</summary>
        public string CallbackPath(bool leased) => CallbackPathOf(OriginPath, leased);

        /// <summary>The CallbackPath of a recorded call (emc_originpath and whether it holds a lease).</summary>
        public static string CallbackPathOf(int? originPath, bool leased) =>
            originPath == OriginPathValue.CallingPlan || originPath == OriginPathValue.DirectOffer ? CallbackPathMicrosoft
            : leased ? CallbackPathPool
            : CallbackPathUnknown;

        /// <summary>The plain-words statement for the call row, Start's output and the email. Never holds a number.</summary>
        public string Describe(bool leased)
        {
            switch (OriginPath)
            {
                case OriginPathValue.CallingPlan:
                case OriginPathValue.DirectOffer:
                    return "The call went out on a Microsoft number (" + (OriginPath == OriginPathValue.CallingPlan ? "calling plan" : "direct offer") +
                        "). " + MicrosoftTemporaryNumber + " No number from the callback pool is used. " + ReadBackWith933;
                case OriginPathValue.DirectRouting:
                    return leased
                        ? "The call went out through your carrier (direct routing). The carrier's session border controller must present the leased " +
                          "callback number as the caller id (as with an ELIN pool); the callback router then sends a callback to it straight to the " +
                          "agent until the lease expires."
                        : "The call went out through your carrier (direct routing), but no callback number could be leased (see the warnings): " + CarrierCallerId;
                default:
                    return leased
                        ? "The path of the agent's number is not known (OriginNumberType was not given). A callback number was leased because " +
                          "emc_CarrierPresentsPoolNumbers says your carrier presents pool numbers as the caller id; through your carrier, a callback " +
                          "to it reaches the agent through the callback router until the lease expires. If the number was a Microsoft number after " +
                          "all, the emergency service sees Microsoft's temporary number instead: " + MicrosoftTemporaryNumber
                        : "The path of the agent's number is not known (OriginNumberType was not given), and emc_CarrierPresentsPoolNumbers does not " +
                          "say that your carrier presents pool numbers, so no pool number was leased. If it is a Microsoft number (calling plan or " +
                          "direct offer): " + MicrosoftTemporaryNumber + " If the call goes through your carrier, " + CarrierCallerId;
            }
        }

        /// <summary>
        /// Who does what on this path, for the readiness check (emc_GetEmergencyReadiness's Responsibilities): one line each
        /// for the path, presence, the notification email and the callback number, and one for what the solution always does.
        /// </summary>
        public IReadOnlyList<string> Responsibilities()
        {
            var path = OriginPath switch
            {
                OriginPathValue.CallingPlan => "Microsoft number (calling plan)",
                OriginPathValue.DirectOffer => "Microsoft number (direct offer)",
                OriginPathValue.DirectRouting => "your carrier (direct routing)",
                _ => "not known (OriginNumberType not given)",
            };
            return new[]
            {
                "Path: " + path + ".",
                "Do not disturb and back: " + (PlatformDuties.Presence
                    ? "Contact Center's built-in emergency calling (emc_PlatformHandlesOnMicrosoftNumbers)."
                    : "this solution, through CCaaS_ModifyAgentPresence."),
                "Notification email: " + (PlatformDuties.Email
                    ? "Contact Center's built-in emergency calling, to the Emergency Call Notifications recipients (emc_PlatformHandlesOnMicrosoftNumbers)."
                    : "this solution, from the Emergency Call Notification Template, to the Emergency Call Notifications recipients."),
                "Callback number: " + (IsMicrosoftNumber
                    ? "Microsoft's temporary number, routed straight to the agent for about 60 minutes; no pool number."
                    : LeasePoolNumber
                        ? "a number leased from the callback pool, which the carrier must present as the caller id; the callback router takes the callback."
                        : "none from the pool (emc_CarrierPresentsPoolNumbers does not say the carrier presents pool numbers)."),
                "Always this solution: the call record, no call history (phone calls, transcripts, recordings), the readiness check and the audit.",
            };
        }

        /// <summary>What the call row records: the path, the statement, and what was left to the platform. No number.</summary>
        public void WriteTo(Entity call, bool leased)
        {
            call[EmergencyCall.OriginPath] = new OptionSetValue(OriginPath);
            call[EmergencyCall.CallbackDetails] = Describe(leased);
            var left = PlatformDuties.ToStoredValue();
            call[EmergencyCall.LeftToPlatform] = left.Length == 0 ? null : left;
        }

        private static bool DirectOfferTakesDirectRouting(DirectRoutingRules rules, EmergencyConfiguration configuration, string? countryCode)
        {
            if (rules.Problem != null || countryCode == null)
            {
                return false;
            }

            foreach (var number in configuration.EmergencyNumbersFor(countryCode))
            {
                if (rules.FindRuleCovering(number) != null)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
