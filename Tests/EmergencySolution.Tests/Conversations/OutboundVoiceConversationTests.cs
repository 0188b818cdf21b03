using System.ServiceModel;
using EmergencySolution.Plugins;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Tests.Conversations
{
    /// <summary>
    /// msdyn_ocliveworkitem Create through the registered steps (synchronous PreOperation CheckOutboundVoiceConversationPlugin
    /// + asynchronous PostOperation LinkEmergencyCallToConversationPlugin). Budgets, both steps together: non-voice and inbound 0; outbound voice 1 (synchronous, a read) and
    /// 0 asynchronous; outbound voice that carries an emergency call 1 synchronous + 2 asynchronous (read the call,
    /// write the link), + 1 when the link fails (the warning).
    /// </summary>
    [TestClass]
    public sealed class OutboundVoiceConversationTests
    {
        private const string CheckPluginType = "EmergencySolution.Plugins.CheckOutboundVoiceConversationPlugin";
        private const string LinkPluginType = "EmergencySolution.Plugins.LinkEmergencyCallToConversationPlugin";
        private const int ChannelVoice = 192370000;
        private const int ChannelVoiceCall = 192440000;
        private const int ChannelLiveChat = 192360000;
        private static readonly Guid ConversationId = new Guid("c1000000-0000-4000-8000-000000000001");
        private static readonly Guid EmergencyCallId = new Guid("c2000000-0000-4000-8000-000000000001");

        [TestMethod]
        public void Create_InboundVoice_CostsZeroRoundTripsEvenForAnAgentWithoutProfile()
        {
            var org = SolutionUnderTest.Create();

            ActAs.ContactCenterService(org).Create(Conversation(OmnichannelSeed.NoProfileAgent, outbound: false, ChannelVoice));

            Assert.IsNotNull(org.GetRecord("msdyn_ocliveworkitem", ConversationId));
            Assert.AreEqual(0, RoundTripsOfBothSteps(org));
        }

        [TestMethod]
        public void Create_OutboundChat_CostsZeroRoundTrips()
        {
            var org = SolutionUnderTest.Create();

            ActAs.ContactCenterService(org).Create(Conversation(OmnichannelSeed.NoProfileAgent, outbound: true, ChannelLiveChat));

            Assert.IsNotNull(org.GetRecord("msdyn_ocliveworkitem", ConversationId));
            Assert.AreEqual(0, RoundTripsOfBothSteps(org));
        }

        [TestMethod]
        public void Create_OutboundVoiceByReadyAgent_IsCreatedUnmarkedInOneRoundTrip()
        {
            var org = SolutionUnderTest.Create();

            ActAs.ContactCenterService(org).Create(Conversation(OmnichannelSeed.ReadyAgent, outbound: true, ChannelVoice));

            var created = org.GetRecord("msdyn_ocliveworkitem", ConversationId);
            Assert.IsNotNull(created);
            Assert.AreEqual("Call to customer", created!.GetAttributeValue<string>("subject"));
            Assert.AreEqual(1, RoundTripsOfBothSteps(org));
        }

        [TestMethod]
        [DataRow("a4000000-0000-4000-8000-000000000002", DisplayName = "no capacity profile")]
        [DataRow("a4000000-0000-4000-8000-000000000003", DisplayName = "inbound voice profiles only")]
        [DataRow("a4000000-0000-4000-8000-000000000004", DisplayName = "non-voice profiles only")]
        public void Create_OutboundVoiceByAgentWithoutOutboundProfile_NeverRefusedOnlyTraced(string agent)
        {
            // Issue 13 item 6: a refusal here could block an emergency call whose conversation Omnichannel creates before
            // Start runs. Profile problems are found by the readiness check and recorded as warnings at call time.
            var org = SolutionUnderTest.Create();

            ActAs.ContactCenterService(org).Create(Conversation(new Guid(agent), outbound: true, ChannelVoice));

            Assert.IsNotNull(org.GetRecord("msdyn_ocliveworkitem", ConversationId));
            Assert.IsTrue(org.Traces.Any(t => t.Contains("has no voice outbound profile; the conversation goes on", StringComparison.Ordinal)));
            Assert.AreEqual(1, RoundTripsOfBothSteps(org));
        }

        [TestMethod]
        public void Create_OutboundVoiceWithoutActiveAgent_ChecksTheInitiatingUserAndLetsItThrough()
        {
            var org = SolutionUnderTest.Create();

            org.CreateOrganizationService(OmnichannelSeed.NoProfileAgent).Create(Conversation(null, outbound: true, ChannelVoice));

            Assert.IsNotNull(org.GetRecord("msdyn_ocliveworkitem", ConversationId));
        }

        [TestMethod]
        public void Start_ByAgentWithoutOutboundProfile_RecordsTheProfileProblemAsAWarningOnTheCall()
        {
            var org = SolutionUnderTest.Create();
            org.AssignRole(OmnichannelSeed.NoProfileAgent, "Emergency Calling Agent");

            var response = org.CreateOrganizationService(OmnichannelSeed.NoProfileAgent).Execute(
                new OrganizationRequest("emc_StartEmergencyCall") { ["DialedNumber"] = "911", ["CountryCode"] = "US" });

            var call = org.GetRecord("emc_emergencycall", (Guid)response["EmergencyCallId"])!;
            StringAssert.Contains(call.GetAttributeValue<string>("emc_warnings"), "Noor Noprofile has no active capacity profile.");
        }

        [TestMethod]
        public void Create_OutboundVoiceBySystemWithoutAssignedAgent_IsNotBlocked()
        {
            var org = SolutionUnderTest.Create();

            org.GetOrganizationService().Create(Conversation(null, outbound: true, ChannelVoice));

            Assert.IsNotNull(org.GetRecord("msdyn_ocliveworkitem", ConversationId));
            Assert.AreEqual(1, RoundTripsOfBothSteps(org));
        }

        [TestMethod]
        public void Create_OutboundVoiceDuringAnActiveEmergencyCall_NeverBlockedMarkedAndLinkedAfterAsyncRun()
        {
            // The agent has no capacity profile at all: an emergency call still goes through.
            var org = SolutionUnderTest.Create(seed => seed.Add(ActiveEmergencyCall(OmnichannelSeed.NoProfileAgent, conversationId: null)));

            ActAs.ContactCenterService(org).Create(Conversation(OmnichannelSeed.NoProfileAgent, outbound: true, ChannelVoice));

            var conversation = org.GetRecord("msdyn_ocliveworkitem", ConversationId)!;
            Assert.AreEqual("Emergency call", conversation.GetAttributeValue<string>("subject"));
            Assert.IsNull(LinkedConversation(org), "the link is written by the asynchronous step, after the commit");
            Assert.AreEqual(1, RoundTripsOfBothSteps(org), "the synchronous part only reads");
            Assert.AreEqual(0, org.CountRequests(r => IsConversationStep(r.PluginTypeName) && r.MessageName != "RetrieveMultiple"));

            Assert.AreEqual(1, org.RunPendingAsyncOperations());

            var link = org.GetRecord("emc_emergencycall", EmergencyCallId)!.GetAttributeValue<EntityReference>("emc_conversationid");
            Assert.AreEqual(ConversationId, link?.Id);
            Assert.AreEqual("msdyn_ocliveworkitem", link?.LogicalName);
            Assert.AreEqual(3, RoundTripsOfBothSteps(org), "1 synchronous read + the call read + the link");
            Assert.AreEqual(0, org.FailedAsyncOperations.Count);
        }

        [TestMethod]
        public void Create_EmergencyConversationWhenTheLinkWriteFaults_ConversationCreatedAndFailureRecordedOnTheCall()
        {
            var org = SolutionUnderTest.Create(seed => seed.Add(ActiveEmergencyCall(OmnichannelSeed.NoProfileAgent, conversationId: null)));
            org.FailWhen(IsLinkWrite, new OrganizationServiceFault
            {
                ErrorCode = unchecked((int)0x80040265),
                Message = "The row is locked by a call to +1 202 555 0123.",
            });

            ActAs.ContactCenterService(org).Create(Conversation(OmnichannelSeed.NoProfileAgent, outbound: true, ChannelVoice));

            Assert.IsNotNull(org.GetRecord("msdyn_ocliveworkitem", ConversationId), "the conversation is never blocked by the link");
            Assert.AreEqual("Emergency call", org.GetRecord("msdyn_ocliveworkitem", ConversationId)!.GetAttributeValue<string>("subject"));

            org.RunPendingAsyncOperations();

            Assert.IsNull(LinkedConversation(org));
            var warnings = org.GetRecord("emc_emergencycall", EmergencyCallId)!.GetAttributeValue<string>("emc_warnings");
            StringAssert.Contains(warnings, "The call could not be linked to its conversation " + ConversationId);
            StringAssert.Contains(warnings, "Closing that conversation will not end this call");
            Assert.IsFalse(warnings.Contains("555 0123") || warnings.Contains("5550123"), "phone numbers never reach the row");
            Assert.IsTrue(org.Traces.Any(t => t.Contains("could not be linked to its conversation")));
            Assert.IsFalse(org.Traces.Any(t => t.Contains("555 0123")), "phone numbers never reach a trace");
            Assert.AreEqual(0, org.FailedAsyncOperations.Count, "recorded on the call, so the job itself succeeds");
            Assert.AreEqual(4, RoundTripsOfBothSteps(org), "1 synchronous read + call read + failed link + warning");
        }

        [TestMethod]
        public void Create_EmergencyConversationWhenEveryCallWriteFaults_ConversationCreatedAndTheFailedJobIsTheRecord()
        {
            var org = SolutionUnderTest.Create(seed => seed.Add(ActiveEmergencyCall(OmnichannelSeed.NoProfileAgent, conversationId: null)));
            org.FailWhen(r => r is UpdateRequest u && u.Target.LogicalName == "emc_emergencycall",
                new OrganizationServiceFault { ErrorCode = unchecked((int)0x80040265), Message = "Writes are paused." });

            ActAs.ContactCenterService(org).Create(Conversation(OmnichannelSeed.NoProfileAgent, outbound: true, ChannelVoice));
            org.RunPendingAsyncOperations();

            Assert.IsNotNull(org.GetRecord("msdyn_ocliveworkitem", ConversationId));
            Assert.IsNull(LinkedConversation(org));
            Assert.AreEqual(1, org.FailedAsyncOperations.Count);
            StringAssert.Contains(org.FailedAsyncOperations[0].Exception.Message, "could not be linked to conversation " + ConversationId);
        }

        [TestMethod]
        public void Create_EmergencyConversationWhenTheAgentReadFaults_ConversationCreatedAndLinkedAfterAsyncRun()
        {
            var org = SolutionUnderTest.Create(seed => seed.Add(ActiveEmergencyCall(OmnichannelSeed.NoProfileAgent, conversationId: null)));
            org.FailWhen(IsAgentRead, new OrganizationServiceFault { ErrorCode = unchecked((int)0x80040224), Message = "SQL timeout." });

            ActAs.ContactCenterService(org).Create(Conversation(OmnichannelSeed.NoProfileAgent, outbound: true, ChannelVoice));

            Assert.IsNotNull(org.GetRecord("msdyn_ocliveworkitem", ConversationId), "a failed read never blocks: it may be an emergency call");
            Assert.IsTrue(org.Traces.Any(t => t.Contains("could not be read") && t.Contains("let through unchecked")));
            Assert.AreEqual(1, RoundTripsOfBothSteps(org));

            org.RunPendingAsyncOperations();

            Assert.AreEqual(ConversationId, LinkedConversation(org), "the asynchronous step found the call itself");
            Assert.AreEqual(3, RoundTripsOfBothSteps(org), "1 failed synchronous read + the call lookup + the link");
            Assert.AreEqual(0, org.FailedAsyncOperations.Count);
        }

        [TestMethod]
        public void Create_OutboundVoiceByAgentWithoutProfileWhenTheAgentReadFaults_LetThroughBecauseItMayBeAnEmergency()
        {
            var org = SolutionUnderTest.Create();
            org.FailWhen(IsAgentRead, new OrganizationServiceFault { ErrorCode = unchecked((int)0x80040224), Message = "SQL timeout." });

            ActAs.ContactCenterService(org).Create(Conversation(OmnichannelSeed.NoProfileAgent, outbound: true, ChannelVoice));
            org.RunPendingAsyncOperations();

            Assert.IsNotNull(org.GetRecord("msdyn_ocliveworkitem", ConversationId));
            Assert.AreEqual("Call to customer", org.GetRecord("msdyn_ocliveworkitem", ConversationId)!.GetAttributeValue<string>("subject"));
            Assert.AreEqual(2, RoundTripsOfBothSteps(org), "the failed read + one lookup that finds no emergency call");
            Assert.AreEqual(0, org.FailedAsyncOperations.Count);
        }

        [TestMethod]
        public void Create_OutboundVoiceByReadyAgent_AsyncStepCostsNoRoundTrip()
        {
            var org = SolutionUnderTest.Create();

            ActAs.ContactCenterService(org).Create(Conversation(OmnichannelSeed.ReadyAgent, outbound: true, ChannelVoice));
            org.RunPendingAsyncOperations();

            Assert.AreEqual(1, RoundTripsOfBothSteps(org));
            Assert.AreEqual(0, org.FailedAsyncOperations.Count);
        }

        [TestMethod]
        public void Create_InboundVoiceAndChat_CostZeroRoundTripsIncludingTheAsyncStep()
        {
            var org = SolutionUnderTest.Create(seed => seed.Add(ActiveEmergencyCall(OmnichannelSeed.NoProfileAgent, conversationId: null)));

            ActAs.ContactCenterService(org).Create(Conversation(OmnichannelSeed.NoProfileAgent, outbound: false, ChannelVoice));
            org.RunPendingAsyncOperations();

            Assert.AreEqual(0, RoundTripsOfBothSteps(org));
            Assert.IsNull(LinkedConversation(org));
        }

        [TestMethod]
        public void LinkStep_RunTwice_LinksOnceAndSecondRunOnlyReads()
        {
            var org = SolutionUnderTest.Create(seed => seed.Add(ActiveEmergencyCall(OmnichannelSeed.NoProfileAgent, conversationId: null)));

            org.ExecutePluginWith<LinkEmergencyCallToConversationPlugin>(AsyncLinkContext(org, EmergencyCallId));
            org.ExecutePluginWith<LinkEmergencyCallToConversationPlugin>(AsyncLinkContext(org, EmergencyCallId));

            Assert.AreEqual(ConversationId, LinkedConversation(org));
            Assert.AreEqual(1, org.CountRequests("Update", "emc_emergencycall"));
            Assert.AreEqual(2, org.CountRequests("RetrieveMultiple", "emc_emergencycall"));
            Assert.IsTrue(org.Traces.Any(t => t.Contains("is already linked to conversation " + ConversationId)));
        }

        [TestMethod]
        public void LinkStep_CallLinkedToAnotherConversationMeanwhile_IsNotOverwritten()
        {
            var other = new Guid("c1000000-0000-4000-8000-0000000000aa");
            var org = SolutionUnderTest.Create(seed => seed.Add(ActiveEmergencyCall(OmnichannelSeed.NoProfileAgent, other)));

            org.ExecutePluginWith<LinkEmergencyCallToConversationPlugin>(AsyncLinkContext(org, EmergencyCallId));

            Assert.AreEqual(other, LinkedConversation(org));
            Assert.AreEqual(0, org.CountRequests("Update", "emc_emergencycall"));
        }

        [TestMethod]
        public void LinkStep_HandOverLostButConversationMarked_FindsTheAgentsUnlinkedCall()
        {
            var org = SolutionUnderTest.Create(seed => seed.Add(ActiveEmergencyCall(OmnichannelSeed.NoProfileAgent, conversationId: null)));
            var context = AsyncLinkContext(org, emergencyCallId: null);
            var postImage = new Entity("msdyn_ocliveworkitem", ConversationId)
            {
                ["subject"] = "Emergency call",
                ["msdyn_activeagentid"] = new EntityReference("systemuser", OmnichannelSeed.NoProfileAgent),
            };
            context.PostEntityImages[LinkEmergencyCallToConversationPlugin.PostImageAlias] = postImage;

            org.ExecutePluginWith<LinkEmergencyCallToConversationPlugin>(context);

            Assert.AreEqual(ConversationId, LinkedConversation(org));
        }

        [TestMethod]
        public void Registration_LinkStepIsAsynchronousPostOperationAndTheCheckIsSynchronousPreOperation()
        {
            var org = SolutionUnderTest.Create();

            var check = org.Steps.Single(s => s.Name.StartsWith(CheckPluginType + ":", StringComparison.Ordinal));
            var link = org.Steps.Single(s => s.Name.StartsWith(LinkPluginType + ":", StringComparison.Ordinal));

            Assert.IsTrue(check.Stage == 20 && check.Mode == 0);
            Assert.IsTrue(link.Stage == 40 && link.Mode == 1);
        }

        [TestMethod]
        public void Create_OutboundVoiceAfterTheEmergencyCallEnded_IsNotLinked()
        {
            var ended = ActiveEmergencyCall(OmnichannelSeed.NoProfileAgent, conversationId: null);
            ended["statecode"] = new OptionSetValue(1);
            ended["statuscode"] = new OptionSetValue(2);
            var org = SolutionUnderTest.Create(seed => seed.Add(ended));

            ActAs.ContactCenterService(org).Create(Conversation(OmnichannelSeed.NoProfileAgent, outbound: true, ChannelVoice));
            org.RunPendingAsyncOperations();

            Assert.IsNull(org.GetRecord("emc_emergencycall", EmergencyCallId)!.GetAttributeValue<EntityReference>("emc_conversationid"));
        }

        [TestMethod]
        public void Create_OutboundVoiceWhenTheEmergencyCallIsAlreadyLinked_LeavesTheLinkAlone()
        {
            var earlier = new Guid("c1000000-0000-4000-8000-0000000000ee");
            var org = SolutionUnderTest.Create(seed => seed.Add(ActiveEmergencyCall(OmnichannelSeed.ReadyAgent, earlier)));

            ActAs.ContactCenterService(org).Create(Conversation(OmnichannelSeed.ReadyAgent, outbound: true, ChannelVoice));
            org.RunPendingAsyncOperations();

            Assert.AreEqual(earlier, org.GetRecord("emc_emergencycall", EmergencyCallId)!.GetAttributeValue<EntityReference>("emc_conversationid").Id);
            Assert.AreEqual("Call to customer", org.GetRecord("msdyn_ocliveworkitem", ConversationId)!.GetAttributeValue<string>("subject"));
        }

        [TestMethod]
        public void Create_OutboundVoiceOfAnotherAgentsEmergency_IsNotLinked()
        {
            var org = SolutionUnderTest.Create(seed => seed.Add(ActiveEmergencyCall(OmnichannelSeed.DndAgent, conversationId: null)));

            ActAs.ContactCenterService(org).Create(Conversation(OmnichannelSeed.ReadyAgent, outbound: true, ChannelVoice));
            org.RunPendingAsyncOperations();

            Assert.IsNull(org.GetRecord("emc_emergencycall", EmergencyCallId)!.GetAttributeValue<EntityReference>("emc_conversationid"));
        }

        private static bool IsLinkWrite(OrganizationRequest request) =>
            request is UpdateRequest update && update.Target.LogicalName == "emc_emergencycall" && update.Target.Contains("emc_conversationid");

        private static bool IsAgentRead(OrganizationRequest request) =>
            request is RetrieveMultipleRequest retrieve && retrieve.Query is QueryExpression query && query.EntityName == "systemuser";

        private static Guid? LinkedConversation(InMemoryOrganization org) =>
            org.GetRecord("emc_emergencycall", EmergencyCallId)!.GetAttributeValue<EntityReference>("emc_conversationid")?.Id;

        /// <summary>The context the platform hands the asynchronous PostOperation step after the conversation's commit.</summary>
        private static PluginExecutionContext AsyncLinkContext(InMemoryOrganization org, Guid? emergencyCallId)
        {
            var context = org.GetDefaultPluginContext();
            context.MessageName = "Create";
            context.Stage = 40;
            context.Mode = 1;
            context.IsInTransaction = false;
            context.PrimaryEntityName = "msdyn_ocliveworkitem";
            context.PrimaryEntityId = ConversationId;
            context.InputParameters["Target"] = Conversation(OmnichannelSeed.NoProfileAgent, outbound: true, ChannelVoice);
            context.OutputParameters["id"] = ConversationId;
            if (emergencyCallId.HasValue)
            {
                context.SharedVariables[LinkEmergencyCallToConversationPlugin.EmergencyCallSharedVariable] = emergencyCallId.Value.ToString();
            }

            return context;
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

        private static bool IsConversationStep(string? pluginTypeName) => pluginTypeName == CheckPluginType || pluginTypeName == LinkPluginType;

        private static int RoundTripsOfBothSteps(InMemoryOrganization org) =>
            org.CountRoundTrips(CheckPluginType) + org.CountRoundTrips(LinkPluginType);
    }
}
