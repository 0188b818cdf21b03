using System.ServiceModel;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Conversations
{
    /// <summary>
    /// msdyn_ocliveworkitem Create through the registered steps (PreOperation + PostOperation of
    /// OutboundVoiceConversationPlugin). Budgets: non-voice and inbound 0; outbound voice 1; outbound voice that
    /// carries an emergency call 2 (the read, then the link).
    /// </summary>
    [TestClass]
    public sealed class OutboundVoiceConversationTests
    {
        private const string PluginType = "EmergencySolution.Plugins.OutboundVoiceConversationPlugin";
        private const int ChannelVoice = 192370000;
        private const int ChannelVoiceCall = 192440000;
        private const int ChannelLiveChat = 192360000;
        private static readonly Guid ConversationId = new Guid("c1000000-0000-4000-8000-000000000001");
        private static readonly Guid EmergencyCallId = new Guid("c2000000-0000-4000-8000-000000000001");

        [TestMethod]
        public void Create_InboundVoice_CostsZeroRoundTripsEvenForAnAgentWithoutProfile()
        {
            var org = SolutionUnderTest.Create();

            org.GetOrganizationService().Create(Conversation(OmnichannelSeed.NoProfileAgent, outbound: false, ChannelVoice));

            Assert.IsNotNull(org.GetRecord("msdyn_ocliveworkitem", ConversationId));
            Assert.AreEqual(0, org.CountRoundTrips(PluginType));
        }

        [TestMethod]
        public void Create_OutboundChat_CostsZeroRoundTrips()
        {
            var org = SolutionUnderTest.Create();

            org.GetOrganizationService().Create(Conversation(OmnichannelSeed.NoProfileAgent, outbound: true, ChannelLiveChat));

            Assert.IsNotNull(org.GetRecord("msdyn_ocliveworkitem", ConversationId));
            Assert.AreEqual(0, org.CountRoundTrips(PluginType));
        }

        [TestMethod]
        public void Create_OutboundVoiceByReadyAgent_IsCreatedUnmarkedInOneRoundTrip()
        {
            var org = SolutionUnderTest.Create();

            org.GetOrganizationService().Create(Conversation(OmnichannelSeed.ReadyAgent, outbound: true, ChannelVoice));

            var created = org.GetRecord("msdyn_ocliveworkitem", ConversationId);
            Assert.IsNotNull(created);
            Assert.AreEqual("Call to customer", created!.GetAttributeValue<string>("subject"));
            Assert.AreEqual(1, org.CountRoundTrips(PluginType));
        }

        [TestMethod]
        public void Create_OutboundVoiceByAgentWithoutProfile_RejectedNamingTheMissingPieceAndNothingSaved()
        {
            var org = SolutionUnderTest.Create();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Create(Conversation(OmnichannelSeed.NoProfileAgent, outbound: true, ChannelVoice)));

            StringAssert.StartsWith(fault.Detail.Message, "This outbound voice conversation cannot start. Noor Noprofile has no active capacity profile.");
            StringAssert.Contains(fault.Detail.Message, "voice outbound profile");
            Assert.AreEqual(0, org.GetRecords("msdyn_ocliveworkitem").Count);
        }

        [TestMethod]
        public void Create_OutboundVoiceByInboundOnlyAgent_RejectedNamingTheInboundProfile()
        {
            var org = SolutionUnderTest.Create();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Create(Conversation(OmnichannelSeed.InboundOnlyAgent, outbound: true, ChannelVoiceCall)));

            StringAssert.Contains(fault.Detail.Message, "are used only by inbound voice profiles ('Voice inbound')");
        }

        [TestMethod]
        public void Create_OutboundVoiceByChatOnlyAgent_RejectedAsNonVoice()
        {
            var org = SolutionUnderTest.Create();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Create(Conversation(OmnichannelSeed.ChatOnlyAgent, outbound: true, ChannelVoice, ChannelLiveChat)));

            StringAssert.Contains(fault.Detail.Message, "used only by non-voice workstreams");
        }

        [TestMethod]
        public void Create_OutboundVoiceWithoutActiveAgent_ChecksTheInitiatingUser()
        {
            var org = SolutionUnderTest.Create();
            var conversation = Conversation(null, outbound: true, ChannelVoice);

            Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.CreateOrganizationService(OmnichannelSeed.NoProfileAgent).Create(conversation));
            org.CreateOrganizationService(OmnichannelSeed.ReadyAgent).Create(conversation);

            Assert.IsNotNull(org.GetRecord("msdyn_ocliveworkitem", ConversationId));
        }

        [TestMethod]
        public void Create_OutboundVoiceBySystemWithoutAssignedAgent_IsNotBlocked()
        {
            var org = SolutionUnderTest.Create();

            org.GetOrganizationService().Create(Conversation(null, outbound: true, ChannelVoice));

            Assert.IsNotNull(org.GetRecord("msdyn_ocliveworkitem", ConversationId));
            Assert.AreEqual(1, org.CountRoundTrips(PluginType));
        }

        [TestMethod]
        public void Create_OutboundVoiceDuringAnActiveEmergencyCall_NeverBlockedMarkedAndLinked()
        {
            // The agent has no capacity profile at all: an emergency call still goes through.
            var org = SolutionUnderTest.Create(seed => seed.Add(ActiveEmergencyCall(OmnichannelSeed.NoProfileAgent, conversationId: null)));

            org.GetOrganizationService().Create(Conversation(OmnichannelSeed.NoProfileAgent, outbound: true, ChannelVoice));

            var conversation = org.GetRecord("msdyn_ocliveworkitem", ConversationId)!;
            Assert.AreEqual("Emergency call", conversation.GetAttributeValue<string>("subject"));
            var call = org.GetRecord("emc_emergencycall", EmergencyCallId)!;
            Assert.AreEqual(ConversationId, call.GetAttributeValue<EntityReference>("emc_conversationid")?.Id);
            Assert.AreEqual("msdyn_ocliveworkitem", call.GetAttributeValue<EntityReference>("emc_conversationid")?.LogicalName);
            Assert.AreEqual(2, org.CountRoundTrips(PluginType));
        }

        [TestMethod]
        public void Create_OutboundVoiceAfterTheEmergencyCallEnded_IsNotLinkedAndIsValidatedAsUsual()
        {
            var ended = ActiveEmergencyCall(OmnichannelSeed.NoProfileAgent, conversationId: null);
            ended["statecode"] = new OptionSetValue(1);
            ended["statuscode"] = new OptionSetValue(2);
            var org = SolutionUnderTest.Create(seed => seed.Add(ended));

            Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Create(Conversation(OmnichannelSeed.NoProfileAgent, outbound: true, ChannelVoice)));

            Assert.IsNull(org.GetRecord("emc_emergencycall", EmergencyCallId)!.GetAttributeValue<EntityReference>("emc_conversationid"));
        }

        [TestMethod]
        public void Create_OutboundVoiceWhenTheEmergencyCallIsAlreadyLinked_LeavesTheLinkAlone()
        {
            var earlier = new Guid("c1000000-0000-4000-8000-0000000000ee");
            var org = SolutionUnderTest.Create(seed => seed.Add(ActiveEmergencyCall(OmnichannelSeed.ReadyAgent, earlier)));

            org.GetOrganizationService().Create(Conversation(OmnichannelSeed.ReadyAgent, outbound: true, ChannelVoice));

            Assert.AreEqual(earlier, org.GetRecord("emc_emergencycall", EmergencyCallId)!.GetAttributeValue<EntityReference>("emc_conversationid").Id);
            Assert.AreEqual("Call to customer", org.GetRecord("msdyn_ocliveworkitem", ConversationId)!.GetAttributeValue<string>("subject"));
        }

        [TestMethod]
        public void Create_OutboundVoiceOfAnotherAgentsEmergency_IsNotLinked()
        {
            var org = SolutionUnderTest.Create(seed => seed.Add(ActiveEmergencyCall(OmnichannelSeed.DndAgent, conversationId: null)));

            org.GetOrganizationService().Create(Conversation(OmnichannelSeed.ReadyAgent, outbound: true, ChannelVoice));

            Assert.IsNull(org.GetRecord("emc_emergencycall", EmergencyCallId)!.GetAttributeValue<EntityReference>("emc_conversationid"));
        }

        private static Entity Conversation(Guid? agentId, bool outbound, params int[] channels)
        {
            var conversation = new Entity("msdyn_ocliveworkitem", ConversationId)
            {
                ["subject"] = "Call to customer",
                ["msdyn_isoutbound"] = outbound,
                ["msdyn_channel"] = new OptionSetValueCollection(channels.Select(c => new OptionSetValue(c)).ToList()),
            };
            if (agentId.HasValue)
            {
                conversation["msdyn_activeagentid"] = new EntityReference("systemuser", agentId.Value);
            }

            return conversation;
        }

        private static Entity ActiveEmergencyCall(Guid agentId, Guid? conversationId)
        {
            var call = new Entity("emc_emergencycall", EmergencyCallId)
            {
                ["emc_name"] = "Emergency call",
                ["emc_agentid"] = new EntityReference("systemuser", agentId),
                ["emc_countrycode"] = "US",
                ["emc_startedon"] = new DateTime(2026, 1, 5, 8, 59, 0, DateTimeKind.Utc),
                ["statecode"] = new OptionSetValue(0),
                ["statuscode"] = new OptionSetValue(1),
            };
            if (conversationId.HasValue)
            {
                call["emc_conversationid"] = new EntityReference("msdyn_ocliveworkitem", conversationId.Value);
            }

            return call;
        }
    }
}
