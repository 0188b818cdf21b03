using System.Text.RegularExpressions;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Lifecycle
{
    /// <summary>
    /// Calls the lifecycle messages the way the panel and the routing layer do, through the registered pipeline, and
    /// the checks every lifecycle scenario ends with. Message, parameter and plugin type names are spelled out
    /// literally: they are the contract.
    /// </summary>
    internal static class LifecycleKit
    {
        public const string StartApiType = "EmergencySolution.CustomApis.StartEmergencyCallApi";
        public const string EndApiType = "EmergencySolution.CustomApis.EndEmergencyCallApi";
        public const string ResolveApiType = "EmergencySolution.CustomApis.ResolveEmergencyCallbackApi";
        public const string ReleaseApiType = "EmergencySolution.CustomApis.ReleaseExpiredCallbackLeasesApi";
        public const string NotificationPluginType = "EmergencySolution.Plugins.SendEmergencyNotificationPlugin";
        public const string PresencePluginType = "EmergencySolution.Plugins.ReconcileAgentPresencePlugin";
        public const string GuardPluginType = "EmergencySolution.Plugins.CallHistoryGuardPlugin";
        public const string ConversationClosedPluginType = "EmergencySolution.Plugins.ConversationClosedPlugin";

        public const int NotConfigured = 410750000;
        public const int Queued = 410750001;
        public const int Sent = 410750002;
        public const int Failed = 410750003;

        /// <summary>A responder's line; used as CallerNumber and must never reach a trace.</summary>
        public const string ResponderNumber = "+1 (202) 555-0199";

        public static readonly Guid RouterUser = ActAs.RouterUser;

        public static IOrganizationService AsAgent(InMemoryOrganization org, Guid agentId) => ActAs.Agent(org, agentId);

        public static IOrganizationService AsRouter(InMemoryOrganization org) => ActAs.Router(org);

        public static IOrganizationService AsAdmin(InMemoryOrganization org) => ActAs.Administrator(org);

        public static OrganizationRequest StartRequest(string dialed = "911", string country = "US", Guid? conversationId = null,
            string? originNumberType = "DirectRouting", string? location = "1 Main St, Suite 200, Springfield, IL 62701")
        {
            var request = new OrganizationRequest("emc_StartEmergencyCall")
            {
                ["DialedNumber"] = dialed,
                ["CountryCode"] = country,
            };
            if (conversationId.HasValue)
            {
                request["ConversationId"] = conversationId.Value;
            }

            if (originNumberType != null)
            {
                request["OriginNumberType"] = originNumberType;
            }

            if (location != null)
            {
                request["Location"] = location;
            }

            return request;
        }

        public static StartResult Start(InMemoryOrganization org, Guid agentId, string dialed = "911", string country = "US",
            Guid? conversationId = null, string? originNumberType = "DirectRouting", string? location = "1 Main St, Suite 200, Springfield, IL 62701")
        {
            if (conversationId is Guid conversation)
            {
                EnsureOwnConversation(org, conversation, agentId);
            }

            var response = AsAgent(org, agentId).Execute(StartRequest(dialed, country, conversationId, originNumberType, location));
            return new StartResult(response);
        }

        /// <summary>
        /// Start checks that a ConversationId names the agent's own outbound voice conversation. A scenario that starts on
        /// a conversation has the agent on a real call, so the row is seeded (no pipeline) unless the scenario made it.
        /// </summary>
        public static void EnsureOwnConversation(InMemoryOrganization org, Guid conversationId, Guid agentId)
        {
            if (org.GetRecord("msdyn_ocliveworkitem", conversationId) != null)
            {
                return;
            }

            org.Initialize(OutboundVoiceConversation(conversationId, agentId));
        }

        /// <summary>An open outbound voice conversation whose active agent is <paramref name="agentId"/>.</summary>
        public static Entity OutboundVoiceConversation(Guid id, Guid agentId) => new Entity("msdyn_ocliveworkitem", id)
        {
            ["subject"] = "Outbound call",
            ["msdyn_isoutbound"] = true,
            ["msdyn_channel"] = new OptionSetValueCollection(new List<OptionSetValue> { new OptionSetValue(192370000) }),
            ["msdyn_activeagentid"] = new EntityReference("systemuser", agentId),
            ["statecode"] = new OptionSetValue(0),
        };

        public static Guid? End(InMemoryOrganization org, Guid callerId, Guid emergencyCallId)
        {
            var response = AsAgent(org, callerId).Execute(new OrganizationRequest("emc_EndEmergencyCall") { ["EmergencyCallId"] = emergencyCallId });
            return response.Results.Contains("RestoredPresenceId") ? (Guid?)response["RestoredPresenceId"] : null;
        }

        public static OrganizationResponse Resolve(InMemoryOrganization org, string calledNumber, string? callerNumber = ResponderNumber)
        {
            var request = new OrganizationRequest("emc_ResolveEmergencyCallback") { ["CalledNumber"] = calledNumber };
            if (callerNumber != null)
            {
                request["CallerNumber"] = callerNumber;
            }

            return AsRouter(org).Execute(request);
        }

        public static Entity Call(InMemoryOrganization org, Guid id) =>
            org.GetRecord("emc_emergencycall", id) ?? throw new AssertFailedException("emergency call " + id + " does not exist");

        public static Guid? CurrentPresence(InMemoryOrganization org, Guid agentId) =>
            org.GetRecords("msdyn_agentstatus")
                .Single(s => s.GetAttributeValue<EntityReference>("msdyn_agentid")?.Id == agentId)
                .GetAttributeValue<EntityReference>("msdyn_currentpresenceid")?.Id;

        public static int OptionValue(Entity row, string attribute) => row.GetAttributeValue<OptionSetValue>(attribute)?.Value ?? -1;

        /// <summary>
        /// The confidentiality promise, checked after every scenario: no phone call, transcript or recording row exists
        /// for an emergency call (there are none at all in these scenarios), and no phone number (pool numbers, the
        /// responder's line, any extra number the scenario used) appears in any captured trace.
        /// </summary>
        public static void AssertConfidential(InMemoryOrganization org, params string[] moreNumbers)
        {
            Assert.AreEqual(0, org.GetRecords("phonecall").Count, "phone call activities stored");
            Assert.AreEqual(0, org.GetRecords("msdyn_transcript").Count, "transcripts stored");
            Assert.AreEqual(0, org.GetRecords("msdyn_ocrecording").Count, "recordings stored");
            AssertNoNumbersInTraces(org, moreNumbers);
        }

        public static void AssertNoNumbersInTraces(InMemoryOrganization org, params string[] moreNumbers)
        {
            var numbers = org.GetRecords("emc_callbacknumber").Select(n => n.GetAttributeValue<string>("emc_number"))
                .Concat(new[] { ResponderNumber })
                .Concat(moreNumbers)
                .Where(n => !string.IsNullOrEmpty(n))
                .Select(Digits)
                .Where(d => d.Length >= 7)
                .Distinct()
                .ToList();
            foreach (var trace in org.Traces)
            {
                Assert.IsFalse(RevealsNumber(trace, numbers), "a phone number appears in the trace: " + trace);
            }
        }

        /// <summary>
        /// Whether the text shows one of the numbers (digits only, 7 or more), whole or by its last 7 digits (the part
        /// that identifies a line). Ids are not numbers: a random GUID's hex digits can hold any 7-digit run, so they
        /// are blanked first. A number may be written with separators ("+1 (202) 555-0101"), so each run of digits
        /// and separators is compared by its digits.
        /// </summary>
        internal static bool RevealsNumber(string text, IReadOnlyCollection<string> numbers)
        {
            var withoutIds = Identifier.Replace(text, "<id>");
            foreach (Match run in DigitRun.Matches(withoutIds))
            {
                var digits = Digits(run.Value);
                if (numbers.Any(number => digits.Contains(number) || digits.Contains(number.Substring(number.Length - 7))))
                {
                    return true;
                }
            }

            return false;
        }

        private static readonly Regex Identifier = new Regex(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\\b[0-9a-fA-F]{32}\\b", RegexOptions.CultureInvariant);

        private static readonly Regex DigitRun = new Regex("\\d[\\d\\s().\\-]*", RegexOptions.CultureInvariant);

        private static string Digits(string? text) => new string((text ?? string.Empty).Where(c => c >= '0' && c <= '9').ToArray());
    }

    internal sealed class StartResult
    {
        public StartResult(OrganizationResponse response)
        {
            Response = response;
        }

        public OrganizationResponse Response { get; }

        public Guid CallId => (Guid)Response["EmergencyCallId"];

        public string CallbackNumber => (string)Response["CallbackNumber"];

        public DateTime? CallbackExpiresOn => Response.Results.Contains("CallbackExpiresOn") ? (DateTime?)Response["CallbackExpiresOn"] : null;

        public int NotificationStatus => (int)Response["NotificationStatus"];

        public string[] Warnings => (string[])Response["Warnings"];
    }
}
