using System.ServiceModel;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Lifecycle
{
    /// <summary>emc_EndEmergencyCall and the conversation-closed safety net.</summary>
    [TestClass]
    public sealed class EndEmergencyCallTests : LifecycleTestBase
    {
        private static readonly Guid Conversation = new Guid("b1000000-0000-4000-8000-0000000000e1");

        [TestMethod]
        public void End_ActiveCall_EndsInTwoRoundTripsThePresenceStepRestoresThePriorAndTheLeaseRunsOn()
        {
            var org = CreateOrganization(seed => seed.Agent(OmnichannelSeed.ReadyAgent).CurrentPresenceId = OmnichannelSeed.PresenceBusy);
            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.RunPendingAsyncOperations();
            Assert.AreEqual(OmnichannelSeed.PresenceDoNotDisturb, CurrentPresence(org, OmnichannelSeed.ReadyAgent));
            org.ClearRequestLog();

            var restored = End(org, OmnichannelSeed.ReadyAgent, start.CallId);

            Assert.AreEqual(OmnichannelSeed.PresenceBusy, restored);
            Assert.AreEqual(2, org.CountRoundTrips(EndApiType), "one read, one write; no presence write inside End");
            Assert.AreEqual(OmnichannelSeed.PresenceDoNotDisturb, CurrentPresence(org, OmnichannelSeed.ReadyAgent), "restored asynchronously");
            org.RunPendingAsyncOperations();
            Assert.AreEqual(OmnichannelSeed.PresenceBusy, CurrentPresence(org, OmnichannelSeed.ReadyAgent));
            Assert.AreEqual(2, org.CountRoundTrips(PresencePluginType), "the agent's calls, then CCaaS_ModifyAgentPresence");
            var lease = org.GetRecord("emc_callbacknumber", OmnichannelSeed.CallbackUs1)!;
            Assert.AreEqual(start.CallId, lease.GetAttributeValue<EntityReference>("emc_emergencycallid").Id);
            Assert.AreEqual("911", Call(org, start.CallId).GetAttributeValue<string>("emc_dialednumber"), "numbers stay until the lease expires");
            AssertConfidential(org);
        }

        [TestMethod]
        public void End_Twice_SecondIsHarmlessWithOneReadAndNoWrite()
        {
            var org = CreateOrganization();
            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.RunPendingAsyncOperations();
            End(org, OmnichannelSeed.ReadyAgent, start.CallId);
            var endedOn = Call(org, start.CallId).GetAttributeValue<DateTime>("emc_endedon");
            org.AdvanceTime(TimeSpan.FromMinutes(1));
            org.ClearRequestLog();

            var restored = End(org, OmnichannelSeed.ReadyAgent, start.CallId);

            Assert.AreEqual(OmnichannelSeed.PresenceAvailable, restored);
            Assert.AreEqual(1, org.CountRoundTrips(EndApiType));
            Assert.AreEqual(endedOn, Call(org, start.CallId).GetAttributeValue<DateTime>("emc_endedon"));
        }

        [TestMethod]
        public void End_BeforeTheFollowUpRan_TheFollowUpLeavesPresenceAlone()
        {
            var org = CreateOrganization();
            var start = Start(org, OmnichannelSeed.ReadyAgent);

            End(org, OmnichannelSeed.ReadyAgent, start.CallId);
            org.RunPendingAsyncOperations();

            Assert.AreEqual(OmnichannelSeed.PresenceAvailable, CurrentPresence(org, OmnichannelSeed.ReadyAgent), "End wins over a late Do-not-disturb");
        }

        [TestMethod]
        public void End_ByAnotherAgent_RefusedAndTheCallStaysActive()
        {
            var org = CreateOrganization();
            var start = Start(org, OmnichannelSeed.ReadyAgent);

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => End(org, OmnichannelSeed.DndAgent, start.CallId));

            StringAssert.Contains(fault.Detail.Message, "Only the agent who started emergency call " + start.CallId + " can end it.");
            Assert.AreEqual(0, OptionValue(Call(org, start.CallId), "statecode"));
        }

        [TestMethod]
        public void End_UnknownCall_ClearError()
        {
            var org = CreateOrganization();
            var unknown = new Guid("b2000000-0000-4000-8000-0000000000ff");

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => End(org, OmnichannelSeed.ReadyAgent, unknown));

            StringAssert.Contains(fault.Detail.Message, "Emergency call " + unknown + " does not exist.");
        }

        [TestMethod]
        public void ConversationClosed_ActiveEmergencyCall_EndedAndPresenceRestored()
        {
            var org = CreateOrganization(seed => seed.Add(ConversationRow()));
            var start = Start(org, OmnichannelSeed.ReadyAgent, conversationId: Conversation);
            org.RunPendingAsyncOperations();
            org.ClearRequestLog();

            org.CreateOrganizationService(OmnichannelSeed.ReadyAgent).Update(new Entity("msdyn_ocliveworkitem", Conversation)
            {
                ["statecode"] = new OptionSetValue(1),
                ["statuscode"] = new OptionSetValue(4),
            });
            org.RunPendingAsyncOperations();

            Assert.AreEqual(1, OptionValue(Call(org, start.CallId), "statecode"));
            Assert.AreEqual(OmnichannelSeed.PresenceAvailable, CurrentPresence(org, OmnichannelSeed.ReadyAgent));
            Assert.AreEqual(3, org.CountRoundTrips(ConversationClosedPluginType), "its active calls, then End's read and write");
            Assert.AreEqual(0, org.FailedAsyncOperations.Count);
            AssertConfidential(org);
        }

        [TestMethod]
        public void ConversationClosed_BySomeoneElse_TheCallStillEnds()
        {
            var org = CreateOrganization(seed => seed.Add(ConversationRow()));
            var start = Start(org, OmnichannelSeed.ReadyAgent, conversationId: Conversation);
            org.RunPendingAsyncOperations();

            org.GetOrganizationService().Update(new Entity("msdyn_ocliveworkitem", Conversation) { ["statecode"] = new OptionSetValue(1) });
            org.RunPendingAsyncOperations();

            Assert.AreEqual(1, OptionValue(Call(org, start.CallId), "statecode"));
            Assert.AreEqual(OmnichannelSeed.PresenceAvailable, CurrentPresence(org, OmnichannelSeed.ReadyAgent), "the agent does not stay in Do not disturb");
        }

        [TestMethod]
        public void ConversationClosed_OtherConversationsCall_NotEndedBySomeoneElse()
        {
            var other = new Guid("b1000000-0000-4000-8000-0000000000e2");
            var org = CreateOrganization(seed => seed.Add(ConversationRow()));
            var start = Start(org, OmnichannelSeed.ReadyAgent, conversationId: other);

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => End(org, OmnichannelSeed.DndAgent, start.CallId));

            StringAssert.Contains(fault.Detail.Message, "Only the agent who started emergency call");
        }

        [TestMethod]
        public void ConversationClosed_NotClosedOrNoEmergencyCall_NothingHappens()
        {
            var org = CreateOrganization(seed => seed.Add(ConversationRow()));
            var agent = org.CreateOrganizationService(OmnichannelSeed.ReadyAgent);

            agent.Update(new Entity("msdyn_ocliveworkitem", Conversation) { ["statecode"] = new OptionSetValue(0) });
            org.RunPendingAsyncOperations();
            Assert.AreEqual(0, org.CountRoundTrips(ConversationClosedPluginType), "not closed: 0 round trips");

            agent.Update(new Entity("msdyn_ocliveworkitem", Conversation) { ["statecode"] = new OptionSetValue(1) });
            org.RunPendingAsyncOperations();
            Assert.AreEqual(1, org.CountRoundTrips(ConversationClosedPluginType), "closed without an emergency call: the one read");
        }

        private static Entity ConversationRow() => new Entity("msdyn_ocliveworkitem", Conversation)
        {
            ["subject"] = "Outbound voice",
            ["msdyn_isoutbound"] = true,
            ["msdyn_channel"] = new OptionSetValueCollection(new List<OptionSetValue> { new OptionSetValue(192370000) }),
            ["msdyn_activeagentid"] = new EntityReference("systemuser", OmnichannelSeed.ReadyAgent),
            ["statecode"] = new OptionSetValue(0),
            ["statuscode"] = new OptionSetValue(2),
        };
    }
}
