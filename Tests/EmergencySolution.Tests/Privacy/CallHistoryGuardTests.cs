using System.ServiceModel;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Privacy
{
    /// <summary>
    /// The call-history guards on phonecall, msdyn_transcript and msdyn_ocrecording Create: rows of an emergency call are
    /// refused; other rows cost 0 round trips when the row itself shows it (no number, no conversation), at most 1 else.
    /// </summary>
    [TestClass]
    public sealed class CallHistoryGuardTests : Lifecycle.LifecycleTestBase
    {
        private static readonly Guid EmergencyConversation = new Guid("b1000000-0000-4000-8000-0000000000c1");
        private static readonly Guid OrdinaryConversation = new Guid("b1000000-0000-4000-8000-0000000000c2");
        private static readonly Guid Account = new Guid("b4000000-0000-4000-8000-000000000001");

        [TestMethod]
        [DataRow("911")]
        [DataRow("9-1-1")]
        [DataRow("112")]
        [DataRow("999")]
        public void Guard_PhoneCallToAnEmergencyNumber_RefusedWithoutARoundTrip(string number)
        {
            var org = Organization();

            var message = CreateFails(org, PhoneCall(number));

            StringAssert.Contains(message, "its phone number is an emergency number");
            Assert.AreEqual(0, org.CountRoundTrips(GuardPluginType));
            AssertConfidential(org);
        }

        [TestMethod]
        public void Guard_IncomingCallbackOnALeasedNumber_RefusedInOneRoundTrip()
        {
            var org = Organization();
            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.ClearRequestLog();

            var message = CreateFails(org, PhoneCall("+1 202-555-0101", incoming: true));

            StringAssert.Contains(message, "leased emergency callback number");
            Assert.AreEqual(1, org.CountRoundTrips(GuardPluginType));
            Assert.AreEqual("+12025550101", start.CallbackNumber);
            AssertConfidential(org);
        }

        [TestMethod]
        public void Guard_PartyAddressIsALeasedNumber_Refused()
        {
            var org = Organization();
            Start(org, OmnichannelSeed.ReadyAgent);
            var call = PhoneCall(null);
            call["to"] = new EntityCollection(new List<Entity> { new Entity("activityparty") { ["addressused"] = "12025550101" } });

            StringAssert.Contains(CreateFails(org, call), "leased emergency callback number");
        }

        [TestMethod]
        public void Guard_NumberOfAnExpiredLease_AllowedInOneRoundTrip()
        {
            var org = Organization();
            Start(org, OmnichannelSeed.ReadyAgent);
            org.AdvanceTime(TimeSpan.FromMinutes(61));
            org.ClearRequestLog();

            CreateAsItsWriter(org, PhoneCall("+12025550101"));

            Assert.AreEqual(1, org.GetRecords("phonecall").Count);
            Assert.AreEqual(1, org.CountRoundTrips(GuardPluginType));
            AssertNoNumbersInTraces(org);
        }

        [TestMethod]
        public void Guard_OrdinaryPhoneCallWithoutNumberOrConversation_AllowedWithZeroRoundTrips()
        {
            var org = Organization();
            var call = PhoneCall(null);
            call["regardingobjectid"] = new EntityReference("account", Account);

            CreateAsItsWriter(org, call);

            Assert.AreEqual(1, org.GetRecords("phonecall").Count);
            Assert.AreEqual(0, org.CountRoundTrips(GuardPluginType));
        }

        [TestMethod]
        public void Guard_OrdinaryPhoneCallWithACustomerNumber_AllowedInOneRoundTripAndTheNumberIsNotTraced()
        {
            var org = Organization();

            CreateAsItsWriter(org, PhoneCall("+1 312 555 0142"));

            Assert.AreEqual(1, org.GetRecords("phonecall").Count);
            Assert.AreEqual(1, org.CountRoundTrips(GuardPluginType));
            AssertNoNumbersInTraces(org, "+1 312 555 0142");
        }

        [TestMethod]
        public void Guard_NumberOnlyInTheConfiguredList_RefusedInOneRoundTrip()
        {
            var org = Organization();
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_EmergencyNumbers", "{\"US\":[\"911\",\"933\"]}");

            StringAssert.Contains(CreateFails(org, PhoneCall("933")), "its phone number is an emergency number");
            Assert.AreEqual(1, org.CountRoundTrips(GuardPluginType));
        }

        [TestMethod]
        public void Guard_PhoneCallRegardingAnEmergencyCall_RefusedWithoutARoundTrip()
        {
            var org = Organization();
            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.ClearRequestLog();
            var call = PhoneCall(null);
            call["regardingobjectid"] = new EntityReference("emc_emergencycall", start.CallId);

            StringAssert.Contains(CreateFails(org, call), "regarding an emergency call");
            Assert.AreEqual(0, org.CountRoundTrips(GuardPluginType));
        }

        [TestMethod]
        public void Guard_TranscriptOfAnEmergencyConversation_RefusedInOneRoundTrip()
        {
            var org = Organization();
            Start(org, OmnichannelSeed.ReadyAgent, conversationId: EmergencyConversation);
            org.ClearRequestLog();

            var message = CreateFails(org, new Entity("msdyn_transcript")
            {
                ["msdyn_liveworkitemidid"] = new EntityReference("msdyn_ocliveworkitem", EmergencyConversation),
            });

            StringAssert.Contains(message, "it belongs to an emergency conversation");
            StringAssert.Contains(message, "Emergency calls leave no call history");
            Assert.AreEqual(1, org.CountRoundTrips(GuardPluginType));
            AssertConfidential(org);
        }

        [TestMethod]
        public void Guard_TranscriptOfAnEndedEmergencyCall_StillRefused()
        {
            var org = Organization();
            var start = Start(org, OmnichannelSeed.ReadyAgent, conversationId: EmergencyConversation);
            End(org, OmnichannelSeed.ReadyAgent, start.CallId);

            StringAssert.Contains(CreateFails(org, new Entity("msdyn_transcript")
            {
                ["msdyn_liveworkitemidid"] = new EntityReference("msdyn_ocliveworkitem", EmergencyConversation),
            }), "emergency conversation");
        }

        [TestMethod]
        public void Guard_TranscriptOfAnOrdinaryConversation_AllowedInOneRoundTrip()
        {
            var org = Organization();
            Start(org, OmnichannelSeed.ReadyAgent, conversationId: EmergencyConversation);
            org.ClearRequestLog();

            CreateAsItsWriter(org, new Entity("msdyn_transcript")
            {
                ["msdyn_liveworkitemidid"] = new EntityReference("msdyn_ocliveworkitem", OrdinaryConversation),
            });

            Assert.AreEqual(1, org.GetRecords("msdyn_transcript").Count);
            Assert.AreEqual(1, org.CountRoundTrips(GuardPluginType));
        }

        [TestMethod]
        [DataRow("msdyn_liveworkitemid")]
        [DataRow("msdyn_recordingtarget")]
        public void Guard_RecordingOfAnEmergencyConversation_Refused(string attribute)
        {
            var org = Organization();
            Start(org, OmnichannelSeed.ReadyAgent, conversationId: EmergencyConversation);
            org.ClearRequestLog();

            var message = CreateFails(org, new Entity("msdyn_ocrecording")
            {
                [attribute] = new EntityReference("msdyn_ocliveworkitem", EmergencyConversation),
                ["msdyn_mediauri"] = "https://media.contoso.com/recordings/1",
            });

            StringAssert.Contains(message, "emergency conversation");
            Assert.AreEqual(1, org.CountRoundTrips(GuardPluginType));
            AssertConfidential(org);
        }

        [TestMethod]
        public void Guard_PhoneNumberAndConversationTogether_OneRequestPerQuestion()
        {
            var org = Organization();
            var call = PhoneCall("+1 312 555 0142");
            call["regardingobjectid"] = new EntityReference("msdyn_ocliveworkitem", OrdinaryConversation);

            CreateAsItsWriter(org, call);

            Assert.AreEqual(2, org.CountRoundTrips(GuardPluginType), "the conversation and the pool, one request each (no batch)");
            Assert.AreEqual(0, org.CountRequests(r => r.MessageName == "ExecuteMultiple"));
        }

        [TestMethod]
        public void Guard_WholeLifecycleWithTheVoiceServiceTryingToStoreHistory_NothingStored()
        {
            var org = Organization();
            var start = Start(org, OmnichannelSeed.ReadyAgent, "911", "US", EmergencyConversation);
            org.RunPendingAsyncOperations();
            var voiceService = ActAs.ContactCenterService(org);
            var attempts = new[]
            {
                PhoneCall("911"),
                PhoneCall(start.CallbackNumber, incoming: true),
                new Entity("msdyn_transcript") { ["msdyn_liveworkitemidid"] = new EntityReference("msdyn_ocliveworkitem", EmergencyConversation) },
                new Entity("msdyn_ocrecording") { ["msdyn_liveworkitemid"] = new EntityReference("msdyn_ocliveworkitem", EmergencyConversation) },
            };

            foreach (var attempt in attempts)
            {
                Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => voiceService.Create(attempt));
            }

            End(org, OmnichannelSeed.ReadyAgent, start.CallId);
            AssertConfidential(org);
        }

        [TestMethod]
        public void Guard_CheckItselfFails_FailsClosedAndNothingIsStored()
        {
            var org = Organization();
            org.FailWhen(r => r is Microsoft.Xrm.Sdk.Messages.RetrieveMultipleRequest q
                    && q.Query is Microsoft.Xrm.Sdk.Query.QueryExpression e && e.EntityName == "emc_callbacknumber",
                new OrganizationServiceFault { ErrorCode = unchecked((int)0x80044150), Message = "Generic SQL error." });

            CreateFails(org, PhoneCall("+1 312 555 0142"));

            AssertConfidential(org, "+1 312 555 0142");
        }

        private InMemoryOrganization Organization() => CreateOrganization();

        /// <summary>
        /// Creates the row as whoever writes it in a real org: a phone call as the agent (activities are theirs through
        /// Emergency Calling Agent), a transcript or a recording as Contact Center's service identity.
        /// </summary>
        private static Guid CreateAsItsWriter(InMemoryOrganization org, Entity row) =>
            (row.LogicalName == "phonecall" ? ActAs.Agent(org, OmnichannelSeed.ReadyAgent) : ActAs.ContactCenterService(org)).Create(row);

        private static Entity PhoneCall(string? number, bool incoming = false)
        {
            var call = new Entity("phonecall")
            {
                ["subject"] = incoming ? "Incoming call" : "Outgoing call",
                ["directioncode"] = !incoming,
                ["from"] = new EntityCollection(new List<Entity> { new Entity("activityparty") { ["partyid"] = new EntityReference("systemuser", OmnichannelSeed.ReadyAgent) } }),
            };
            if (number != null)
            {
                call["phonenumber"] = number;
            }

            return call;
        }

        private static string CreateFails(InMemoryOrganization org, Entity row)
        {
            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(
                () => CreateAsItsWriter(org, row));
            Assert.AreEqual(0, org.GetRecords(row.LogicalName).Count);
            return fault.Detail.Message;
        }
    }
}
