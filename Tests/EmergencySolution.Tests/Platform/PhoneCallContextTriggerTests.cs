using EmergencySolution.Tests.Lifecycle;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Platform
{
    /// <summary>
    /// The server trigger: a write of msdyn_ocphonecallengagementctx (Microsoft's per-call telephony context) whose phone
    /// column holds an emergency number, for an outbound voice conversation, starts the emergency call for the
    /// conversation's agent through emc_StartEmergencyCall, once per dial whichever trigger comes first.
    /// </summary>
    [TestClass]
    public sealed class PhoneCallContextTriggerTests : LifecycleTestBase
    {
        public const string TriggerPluginType = "EmergencySolution.Plugins.StartEmergencyCallFromPhoneContextPlugin";

        private static readonly Guid ConversationId = new Guid("c3000000-0000-4000-8000-000000000001");
        private static readonly Guid ContextId = new Guid("c3000000-0000-4000-8000-0000000000c1");
        private const string OrgNumber = "+12025550177";
        private const string CustomerNumber = "+12065550123";

        [TestMethod]
        public void OrdinaryOutboundCall_CostsNoRequestAndStartsNothing()
        {
            var org = OrgWithConversation(outbound: true);

            WriteContext(org, from: CustomerNumber, to: OrgNumber);
            org.RunPendingAsyncOperations();

            Assert.AreEqual(0, org.CountRoundTrips(TriggerPluginType), "an ordinary call's numbers are too long to be emergency numbers");
            Assert.AreEqual(0, org.GetRecords("emc_emergencycall").Count);
            Assert.AreEqual(0, org.FailedAsyncOperations.Count);
        }

        [TestMethod]
        public void EmergencyNumberInEitherColumn_StartsOneCallForTheConversationsAgent()
        {
            foreach (var (from, to) in new[] { ("911", OrgNumber), (OrgNumber, "+911") })
            {
                var org = OrgWithConversation(outbound: true);

                WriteContext(org, from, to);
                org.RunPendingAsyncOperations();

                var call = org.GetRecords("emc_emergencycall").Single();
                Assert.AreEqual(OmnichannelSeed.ReadyAgent, call.GetAttributeValue<EntityReference>("emc_agentid").Id);
                Assert.AreEqual(ConversationId, call.GetAttributeValue<EntityReference>("emc_conversationid").Id);
                Assert.AreEqual("911", call.GetAttributeValue<string>("emc_dialednumber"));
                Assert.AreEqual("US", call.GetAttributeValue<string>("emc_countrycode"));
                Assert.AreEqual(1, org.CountRequests(r => r.MessageName == "SendEmail" && r.Succeeded), "one email");
                Assert.AreEqual(0, org.FailedAsyncOperations.Count, string.Join("; ", org.FailedAsyncOperations));
                // Ordinary-call budget plus the emergency path: configuration, conversation, the agent's unlinked call,
                // org number's country, the agent's Omnichannel Phone country (the org number is not in msdyn_ocphonenumber
                // here), Start.
                Assert.AreEqual(6, org.CountRoundTrips(TriggerPluginType));
            }
        }

        [TestMethod]
        public void UpdateThatWritesTheNumberLater_StartsTheCall()
        {
            var org = OrgWithConversation(outbound: true);
            WriteContext(org, from: null, to: OrgNumber);
            org.RunPendingAsyncOperations();
            Assert.AreEqual(0, org.GetRecords("emc_emergencycall").Count);

            ActAs.ContactCenterService(org).Update(new Entity("msdyn_ocphonecallengagementctx", ContextId) { ["msdyn_fromphone"] = "911" });
            org.RunPendingAsyncOperations();

            Assert.AreEqual(1, org.GetRecords("emc_emergencycall").Count);
        }

        [TestMethod]
        public void ClientWatcherFirstThenServerTrigger_OneCallOneEmailOneLease()
        {
            var org = OrgWithConversation(outbound: true);
            var client = Start(org, OmnichannelSeed.ReadyAgent, conversationId: ConversationId, originNumberType: "DirectRouting");

            WriteContext(org, from: "911", to: OrgNumber);
            org.RunPendingAsyncOperations();

            AssertOneCallOneEmailOneLease(org, client.CallId);
        }

        [TestMethod]
        public void ServerTriggerFirstThenClientWatcher_TheClientGetsTheSameCall()
        {
            var org = OrgWithConversation(outbound: true);
            WriteContext(org, from: "911", to: OrgNumber);
            org.RunPendingAsyncOperations();
            var server = org.GetRecords("emc_emergencycall").Single();

            var client = Start(org, OmnichannelSeed.ReadyAgent, conversationId: ConversationId, originNumberType: "DirectRouting");
            org.RunPendingAsyncOperations();

            Assert.AreEqual(server.Id, client.CallId);
            AssertOneCallOneEmailOneLease(org, server.Id);
        }

        [TestMethod]
        public void ManualStartFirstThenTheConversationAndItsContext_EveryOrder_OneCall()
        {
            foreach (var order in new[] { new[] { 0, 1, 2, 3 }, new[] { 3, 2, 1, 0 }, new[] { 2, 3, 0, 1 }, new[] { 1, 0, 3, 2 }, new[] { 3, 0, 1, 2 } })
            {
                // The agent presses "I am on an emergency call" before Omnichannel has created the conversation.
                var org = CreateOrganization();
                org.AssignRole(OmnichannelSeed.ReadyAgent, "Emergency Calling Agent");
                var manual = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: "DirectRouting");
                ContactCenterCreatesTheOutboundConversation(org);
                WriteContext(org, from: "911", to: OrgNumber);

                org.ReorderPendingAsyncOperations(order);
                org.RunPendingAsyncOperations();

                var label = "order " + string.Join(",", order) + ": " + string.Join("; ", org.FailedAsyncOperations);
                Assert.AreEqual(1, org.GetRecords("emc_emergencycall").Count, label);
                Assert.AreEqual(manual.CallId, org.GetRecords("emc_emergencycall").Single().Id, label);
                Assert.AreEqual(1, org.CountRequests(r => r.MessageName == "SendEmail" && r.Succeeded), label);
            }
        }

        [TestMethod]
        public void ManualStartFirst_ThenTheWatchersStartBeforeTheLinkStep_TakesOverTheManualCall()
        {
            // The agent presses "I am on an emergency call" before Omnichannel has created the conversation; the dial
            // watcher then starts with the new conversation's id before the asynchronous link step has run.
            var org = CreateOrganization();
            org.AssignRole(OmnichannelSeed.ReadyAgent, "Emergency Calling Agent");
            var manual = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: "DirectRouting");
            ContactCenterCreatesTheOutboundConversation(org);
            org.ClearRequestLog();

            var watcher = Start(org, OmnichannelSeed.ReadyAgent, conversationId: ConversationId, originNumberType: "DirectRouting");

            Assert.AreEqual(manual.CallId, watcher.CallId, "the same emergency: the manual start's call is returned");
            Assert.AreEqual(manual.CallbackNumber, watcher.CallbackNumber);
            Assert.AreEqual(ConversationId, Call(org, manual.CallId).GetAttributeValue<EntityReference>("emc_conversationid")?.Id);
            // Configuration, the look-up, the agent, the conversation check, the one Update: nothing leased again.
            Assert.AreEqual(5, org.CountRoundTrips("EmergencySolution.CustomApis.StartEmergencyCallApi"));
            Assert.AreEqual(0, org.CountRequests(r => r.MessageName == "Create" && r.EntityName == "emc_emergencycall"));
            Assert.AreEqual(1, org.CountRequests(r => r.MessageName == "Update" && r.EntityName == "emc_emergencycall"));
            Assert.AreEqual(0, org.CountRequests(r => r.EntityName == "emc_callbacknumber" && r.MessageName == "Update"));

            org.RunPendingAsyncOperations();
            Assert.AreEqual(1, org.GetRecords("emc_emergencycall").Count);
            Assert.AreEqual(1, org.CountRequests(r => r.MessageName == "SendEmail" && r.Succeeded), "one email");
            Assert.AreEqual(0, org.FailedAsyncOperations.Count, string.Join("; ", org.FailedAsyncOperations));
        }

        /// <summary>Omnichannel creates the agent's outbound voice conversation (which queues the conversation's link step).</summary>
        private static void ContactCenterCreatesTheOutboundConversation(InMemoryOrganization org) =>
            ActAs.ContactCenterService(org).Create(new Entity("msdyn_ocliveworkitem", ConversationId)
            {
                ["subject"] = "Outbound call",
                ["msdyn_isoutbound"] = true,
                ["msdyn_channel"] = new OptionSetValueCollection { new OptionSetValue(192370000) },
                ["msdyn_activeagentid"] = new EntityReference("systemuser", OmnichannelSeed.ReadyAgent),
            });

        [TestMethod]
        public void InboundOrNonVoiceConversation_StartsNothing()
        {
            var org = OrgWithConversation(outbound: false);

            WriteContext(org, from: "911", to: OrgNumber);
            org.RunPendingAsyncOperations();

            Assert.AreEqual(0, org.GetRecords("emc_emergencycall").Count);
            Assert.AreEqual(0, org.FailedAsyncOperations.Count);
        }

        [TestMethod]
        public void RowWithoutConversation_StartsNothingAndCostsNoRequest()
        {
            var org = OrgWithConversation(outbound: true);

            ActAs.ContactCenterService(org).Create(new Entity("msdyn_ocphonecallengagementctx", ContextId) { ["msdyn_fromphone"] = "911" });
            org.RunPendingAsyncOperations();

            Assert.AreEqual(0, org.GetRecords("emc_emergencycall").Count);
            Assert.AreEqual(0, org.CountRoundTrips(TriggerPluginType));
        }

        [TestMethod]
        public void CountryComesFromTheOrgNumberTheCallWentOutOn()
        {
            var org = OrgWithConversation(outbound: true, seed => seed.Add(new Entity("msdyn_ocphonenumber", new Guid("c3000000-0000-4000-8000-0000000000f1"))
            {
                ["msdyn_phonenumber"] = OrgNumber,
                ["msdyn_countryisocode"] = "CA",
            }));

            WriteContext(org, from: "911", to: OrgNumber);
            org.RunPendingAsyncOperations();

            Assert.AreEqual("CA", org.GetRecords("emc_emergencycall").Single().GetAttributeValue<string>("emc_countrycode"));
        }

        [TestMethod]
        public void OrgNumberUnknown_CountryOfTheAgentsOmnichannelPhone_AsTheWatcherReadsIt()
        {
            var agentPhone = new Guid("c3000000-0000-4000-8000-0000000000f3");
            var org = OrgWithConversation(outbound: true, seed => seed.Add(new Entity("msdyn_ocphonenumber", agentPhone)
            {
                ["msdyn_phonenumber"] = "+441632960001",
                ["msdyn_countryisocode"] = "GB",
            }));
            org.GetOrganizationService().Update(new Entity("systemuser", OmnichannelSeed.ReadyAgent)
            {
                ["msdyn_phonenumberid"] = new EntityReference("msdyn_ocphonenumber", agentPhone),
            });

            // 911 is an emergency number in several configured countries and the org number is not one of the org's.
            WriteContext(org, from: "911", to: OrgNumber);
            org.RunPendingAsyncOperations();

            Assert.AreEqual("GB", org.GetRecords("emc_emergencycall").Single().GetAttributeValue<string>("emc_countrycode"),
                "the agent's Omnichannel Phone, the dial watcher's first source, before any guess");
        }

        [TestMethod]
        public void OrgNumberKnown_WinsOverTheAgentsOmnichannelPhone_OneRoundTripLess()
        {
            var agentPhone = new Guid("c3000000-0000-4000-8000-0000000000f4");
            var org = OrgWithConversation(outbound: true, seed =>
            {
                seed.Add(new Entity("msdyn_ocphonenumber", agentPhone) { ["msdyn_phonenumber"] = "+441632960002", ["msdyn_countryisocode"] = "GB" });
                seed.Add(new Entity("msdyn_ocphonenumber", new Guid("c3000000-0000-4000-8000-0000000000f5")) { ["msdyn_phonenumber"] = OrgNumber, ["msdyn_countryisocode"] = "US" });
            });
            org.GetOrganizationService().Update(new Entity("systemuser", OmnichannelSeed.ReadyAgent) { ["msdyn_phonenumberid"] = new EntityReference("msdyn_ocphonenumber", agentPhone) });

            WriteContext(org, from: "911", to: OrgNumber);
            org.RunPendingAsyncOperations();

            Assert.AreEqual("US", org.GetRecords("emc_emergencycall").Single().GetAttributeValue<string>("emc_countrycode"),
                "the number the call went out on is the better fact; the watcher cannot see it");
            Assert.AreEqual(5, org.CountRoundTrips(TriggerPluginType));
        }

        [TestMethod]
        public void EmergencyNumberFromAnUnsupportedCountry_RecordedNeverRefused()
        {
            var org = OrgWithConversation(outbound: true, seed => seed.Add(new Entity("msdyn_ocphonenumber", new Guid("c3000000-0000-4000-8000-0000000000f2"))
            {
                ["msdyn_phonenumber"] = OrgNumber,
                ["msdyn_countryisocode"] = "FR",
            }));

            WriteContext(org, from: "112", to: OrgNumber);
            org.RunPendingAsyncOperations();

            Assert.AreEqual(0, org.FailedAsyncOperations.Count, string.Join("; ", org.FailedAsyncOperations));
            var call = org.GetRecords("emc_emergencycall").Single();
            Assert.AreEqual("FR", call.GetAttributeValue<string>("emc_countrycode"));
            StringAssert.Contains(call.GetAttributeValue<string>("emc_warnings"), "FR");
        }

        private static void AssertOneCallOneEmailOneLease(InMemoryOrganization org, Guid callId)
        {
            Assert.AreEqual(1, org.GetRecords("emc_emergencycall").Count, "one call");
            Assert.AreEqual(callId, org.GetRecords("emc_emergencycall").Single().Id);
            Assert.AreEqual(1, org.CountRequests(r => r.MessageName == "SendEmail" && r.Succeeded), "one email");
            Assert.AreEqual(1, org.GetRecords("emc_callbacknumber").Count(n => n.GetAttributeValue<EntityReference>("emc_emergencycallid")?.Id == callId), "one lease");
            Assert.AreEqual(0, org.FailedAsyncOperations.Count, string.Join("; ", org.FailedAsyncOperations));
        }

        private InMemoryOrganization OrgWithConversation(bool outbound, Action<OmnichannelSeed>? adjust = null)
        {
            var org = CreateOrganization(seed =>
            {
                seed.Add(new Entity("msdyn_ocliveworkitem", ConversationId)
                {
                    ["subject"] = "Outbound call",
                    ["msdyn_isoutbound"] = outbound,
                    ["msdyn_channel"] = new OptionSetValueCollection { new OptionSetValue(192370000) },
                    ["msdyn_activeagentid"] = new EntityReference("systemuser", OmnichannelSeed.ReadyAgent),
                });
                adjust?.Invoke(seed);
            });
            // The trigger starts the call as the agent, who holds the agent role (as with the panel).
            org.AssignRole(OmnichannelSeed.ReadyAgent, "Emergency Calling Agent");
            // The trigger cannot know the origin path; this org's admin has said the carrier presents pool numbers, so
            // whichever trigger comes first leases one (docs/platform.md, section 3).
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_CarrierPresentsPoolNumbers", "yes");
            org.ClearRequestLog();
            return org;
        }

        private static void WriteContext(InMemoryOrganization org, string? from, string? to)
        {
            // The platform writes this row, with its own service identity (which one Microsoft does not document).
            var row = new Entity("msdyn_ocphonecallengagementctx", ContextId)
            {
                ["msdyn_liveworkitemid"] = new EntityReference("msdyn_ocliveworkitem", ConversationId),
                ["msdyn_callername"] = "Outbound call",
            };
            if (from != null)
            {
                row["msdyn_fromphone"] = from;
            }

            if (to != null)
            {
                row["msdyn_tophone"] = to;
            }

            ActAs.ContactCenterService(org).Create(row);
        }
    }
}
