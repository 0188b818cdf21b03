using System.ServiceModel;
using EmergencySolution.Tests.Lifecycle;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Resilience
{
    /// <summary>
    /// What an agent could abuse, and what the data keeps: Start checks the ConversationId (exists, outbound voice, the
    /// caller's) and otherwise ignores it with a warning; record fields with control characters or line breaks never
    /// break or split the email; the clean-up clears the location and strips the stored email; the readiness check works
    /// for a caller with only the shipped roles, and checks another agent only for an administrator.
    /// </summary>
    [TestClass]
    public sealed class AbuseTests : LifecycleTestBase
    {
        private static readonly Guid OthersConversation = new Guid("e2000000-0000-4000-8000-000000000001");
        private static readonly Guid InboundConversation = new Guid("e2000000-0000-4000-8000-000000000002");
        private static readonly Guid MissingConversation = new Guid("e2000000-0000-4000-8000-000000000003");

        [TestMethod]
        public void Start_SomeoneElsesConversation_IgnoredWithAWarningAndItsTranscriptsStayOrdinary()
        {
            var org = CreateOrganization(seed => seed.Add(OutboundVoiceConversation(OthersConversation, OmnichannelSeed.DndAgent)));

            var start = StartRaw(org, OthersConversation);

            StringAssert.Contains(string.Join("|", start.Warnings), "ConversationId " + OthersConversation + " was ignored: it is not the calling agent's conversation.");
            Assert.IsNull(Call(org, start.CallId).GetAttributeValue<EntityReference>("emc_conversationid"), "the call goes on without it");
            org.GetOrganizationService().Create(new Entity("msdyn_transcript")
            {
                ["msdyn_liveworkitemidid"] = new EntityReference("msdyn_ocliveworkitem", OthersConversation),
            });
            Assert.AreEqual(1, org.GetRecords("msdyn_transcript").Count, "the other agent's transcripts are not suppressed");
        }

        [TestMethod]
        public void Start_InboundOrMissingConversation_IgnoredWithAWarning()
        {
            var org = CreateOrganization(seed =>
            {
                var inbound = OutboundVoiceConversation(InboundConversation, OmnichannelSeed.ReadyAgent);
                inbound["msdyn_isoutbound"] = false;
                seed.Add(inbound);
            });

            var inboundStart = StartRaw(org, InboundConversation);
            org.RunPendingAsyncOperations();
            End(org, OmnichannelSeed.ReadyAgent, inboundStart.CallId);
            var missingStart = StartRaw(org, MissingConversation);

            StringAssert.Contains(string.Join("|", inboundStart.Warnings), "was ignored: it is not an outbound voice conversation.");
            StringAssert.Contains(string.Join("|", missingStart.Warnings), "was ignored: no such conversation exists.");
            Assert.AreEqual(2, org.GetRecords("emc_emergencycall").Count, "both calls went on");
        }

        [TestMethod]
        public void Notification_ControlCharactersAndLineBreaksInRecordFields_NeverBreakOrSplitTheEmail()
        {
            var org = CreateOrganization(seed => seed.Agent(OmnichannelSeed.ReadyAgent).FullName = "Avery\r\nBcc: attacker@example.com\u0007\u0000 Ready");

            Start(org, OmnichannelSeed.ReadyAgent, location: "1 Main St\r\nSuite \u001b[2J200\u0000");
            org.RunPendingAsyncOperations();

            var call = org.GetRecords("emc_emergencycall").Single();
            Assert.AreEqual(Sent, OptionValue(call, "emc_notificationstatus"), call.GetAttributeValue<string>("emc_notificationerror"));
            var email = org.GetRecords("email").Single();
            var subject = email.GetAttributeValue<string>("subject");
            var body = email.GetAttributeValue<string>("description");
            Assert.IsFalse(subject.Any(char.IsControl), "the subject is one line without control characters: " + subject);
            StringAssert.Contains(subject, "Avery  Bcc: attacker@example.com   Ready");
            Assert.IsFalse(body.Any(c => char.IsControl(c) && c != '\r' && c != '\n' && c != '\t'), "no control characters in the body");
            StringAssert.Contains(body, "Suite [2J200");
            Assert.AreEqual(2, email.GetAttributeValue<EntityCollection>("to").Entities.Count, "the recipients are the configured two, nothing injected");
        }

        [TestMethod]
        public void CleanUp_AfterTheWindow_ClearsTheLocationAndStripsTheStoredEmailButNotWhatWentOut()
        {
            var org = CreateOrganization();
            var start = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: "DirectRouting", location: "1 Main St\nSpringfield, IL 62701");
            org.RunPendingAsyncOperations();
            var sent = org.GetRecord("email", start.CallId)!;
            StringAssert.Contains(sent.GetAttributeValue<string>("description"), "+12025550101");

            org.AdvanceTime(TimeSpan.FromMinutes(61));
            AsAdmin(org).Execute(new OrganizationRequest("emc_ReleaseExpiredCallbackLeases"));

            var call = Call(org, start.CallId);
            Assert.IsNull(call.GetAttributeValue<string>("emc_location"));
            Assert.IsNull(call.GetAttributeValue<string>("emc_dialednumber"));
            var stored = org.GetRecord("email", start.CallId)!;
            var body = stored.GetAttributeValue<string>("description");
            Assert.IsFalse(body.Contains("+12025550101", StringComparison.Ordinal) || body.Contains("Main St", StringComparison.Ordinal), body);
            StringAssert.Contains(body, "[removed after the callback window]");
            Assert.AreEqual(sent.GetAttributeValue<string>("subject"), stored.GetAttributeValue<string>("subject"), "the subject carried neither");
            Assert.AreEqual(2, stored.GetAttributeValue<EntityCollection>("to").Entities.Count, "who it went to is kept");
        }

        [TestMethod]
        public void Readiness_WithOnlyTheShippedRoles_AgentChecksThemselfAdminChecksAnyoneAgentNotOthers()
        {
            var org = CreateOrganization();
            org.EnforceTablePrivileges = true;
            var request = new OrganizationRequest("emc_GetEmergencyReadiness") { ["CountryCode"] = "US", ["OriginNumberType"] = "CallingPlan" };

            var own = AsAgent(org, OmnichannelSeed.ReadyAgent).Execute(request);
            Assert.IsTrue((bool)own["Ready"], string.Join(Environment.NewLine, (string[])own["Checks"]));

            request["AgentId"] = OmnichannelSeed.NoProfileAgent;
            var byAdmin = AsAdmin(org).Execute(request);
            Assert.IsFalse((bool)byAdmin["Ready"]);

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => AsAgent(org, OmnichannelSeed.ReadyAgent).Execute(request));
            StringAssert.Contains(fault.Detail.Message, "needs the Emergency Calling Administrator role. An agent checks themself: leave AgentId empty.");
        }

        private static StartResult StartRaw(InMemoryOrganization org, Guid conversationId) =>
            new StartResult(AsAgent(org, OmnichannelSeed.ReadyAgent).Execute(StartRequest(conversationId: conversationId, originNumberType: "DirectRouting")));
    }
}
