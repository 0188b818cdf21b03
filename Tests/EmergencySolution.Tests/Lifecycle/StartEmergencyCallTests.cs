using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Lifecycle
{
    /// <summary>emc_StartEmergencyCall: idempotency, round trips, leases, readiness warnings; never blocks.</summary>
    [TestClass]
    public sealed class StartEmergencyCallTests : LifecycleTestBase
    {
        private static readonly Guid ConversationA = new Guid("b1000000-0000-4000-8000-0000000000a1");
        private static readonly Guid ConversationB = new Guid("b1000000-0000-4000-8000-0000000000b1");
        private static readonly Guid OldCall = new Guid("b2000000-0000-4000-8000-000000000001");

        [TestMethod]
        public void Start_WithConversation_NineRequestsEachForAReason()
        {
            var org = CreateOrganization();

            Start(org, OmnichannelSeed.ReadyAgent, conversationId: ConversationA);

            // configuration, look-up (idempotency, throttle, own lease), agent, conversation check, pool query,
            // claim (lock + read under it), call Create, lease Update; one request at a time.
            var requests = org.RequestLog.Where(r => r.IsRoundTripFromPlugin && r.PluginTypeName == StartApiType)
                .Select(r => r.MessageName + " " + r.EntityName).ToArray();
            CollectionAssert.AreEqual(new[]
            {
                "RetrieveMultiple environmentvariabledefinition", "RetrieveMultiple emc_emergencycall", "RetrieveMultiple systemuser",
                "RetrieveMultiple msdyn_ocliveworkitem", "RetrieveMultiple emc_callbacknumber", "Update emc_callbacknumber",
                "RetrieveMultiple emc_callbacknumber", "Create emc_emergencycall", "Update emc_callbacknumber",
            }, requests, string.Join(", ", requests));
            Assert.AreEqual(0, org.CountRequests(r => r.MessageName == "ExecuteTransaction" || r.MessageName == "ExecuteMultiple"));
            AssertConfidential(org);
        }

        [TestMethod]
        public void Start_WithoutConversation_EightRequests()
        {
            var org = CreateOrganization();

            Start(org, OmnichannelSeed.ReadyAgent);

            Assert.AreEqual(8, org.CountRoundTrips(StartApiType));
        }

        [TestMethod]
        public void Start_SecondCallRenewsTheOwnLease_SevenRequestsWithoutAPoolQuery()
        {
            var org = CreateOrganization();
            Start(org, OmnichannelSeed.ReadyAgent, conversationId: ConversationA);
            org.ClearRequestLog();

            Start(org, OmnichannelSeed.ReadyAgent, conversationId: new Guid("b1000000-0000-4000-8000-0000000000b2"));

            // configuration, look-up (finds the own lease), agent, conversation check, claim (2), Create, lease Update
            Assert.AreEqual(8, org.CountRoundTrips(StartApiType));
            Assert.AreEqual(1, org.CountRequests(r => r.PluginTypeName == StartApiType && r.MessageName == "RetrieveMultiple" && r.EntityName == "emc_callbacknumber"),
                "only the read under the claim's lock; no candidate query");
        }

        [TestMethod]
        public void Start_SameConversationTwice_ReturnsTheSameCallAndLeasesOnce()
        {
            var org = CreateOrganization();
            var first = Start(org, OmnichannelSeed.ReadyAgent, conversationId: ConversationA);
            org.ClearRequestLog();

            var second = Start(org, OmnichannelSeed.ReadyAgent, conversationId: ConversationA);

            Assert.AreEqual(first.CallId, second.CallId);
            Assert.AreEqual(first.CallbackNumber, second.CallbackNumber);
            Assert.AreEqual(first.CallbackExpiresOn, second.CallbackExpiresOn);
            Assert.AreEqual(first.NotificationStatus, second.NotificationStatus);
            Assert.AreEqual(1, org.GetRecords("emc_emergencycall").Count);
            Assert.AreEqual(2, org.CountRoundTrips(StartApiType), "configuration and the lookup; nothing written");
            Assert.IsNull(org.GetRecord("emc_callbacknumber", OmnichannelSeed.CallbackUs2)!.GetAttributeValue<EntityReference>("emc_emergencycallid"));
        }

        [TestMethod]
        public void Start_SecondCallInsideTheWindow_KeepsTheNumberTheResponderHas()
        {
            var org = CreateOrganization(seed => seed.RemoveCallbackNumbers("US")
                .AddCallbackNumber(OmnichannelSeed.CallbackUs1, "+12025550101", "US"));
            var first = Start(org, OmnichannelSeed.ReadyAgent, conversationId: ConversationA);
            org.AdvanceTime(TimeSpan.FromMinutes(10));

            var second = Start(org, OmnichannelSeed.ReadyAgent, conversationId: ConversationB);

            Assert.AreNotEqual(first.CallId, second.CallId);
            Assert.AreEqual(first.CallbackNumber, second.CallbackNumber);
            Assert.AreEqual(org.UtcNow.AddMinutes(60), second.CallbackExpiresOn, "the lease is renewed for the new call");
            var callback = Resolve(org, first.CallbackNumber);
            Assert.AreEqual(second.CallId, (Guid)callback["EmergencyCallId"]);
        }

        [TestMethod]
        public void Start_AnotherAgentHoldsTheOnlyNumber_StartsWithoutCallbackAndSaysSo()
        {
            var org = CreateOrganization(seed => seed.RemoveCallbackNumbers("US")
                .AddCallbackNumber(OmnichannelSeed.CallbackUs1, "+12025550101", "US"));
            Start(org, OmnichannelSeed.ReadyAgent);

            var second = Start(org, OmnichannelSeed.DndAgent);

            Assert.AreEqual(string.Empty, second.CallbackNumber);
            Assert.IsNull(second.CallbackExpiresOn);
            Assert.IsTrue(second.Warnings.Any(w => w.Contains("no free number for US", StringComparison.Ordinal)), string.Join(" | ", second.Warnings));
            Assert.IsNull(Call(org, second.CallId).GetAttributeValue<EntityReference>("emc_callbacknumberid"));
        }

        [TestMethod]
        public void Start_ExpiredLeaseTakenOver_ThePreviousCallIsLeftToTheCleanUpWhichClearsItAndItsEmail()
        {
            var org = CreateOrganization(seed => seed.Add(new Entity("emc_emergencycall", OldCall)
            {
                ["emc_name"] = "Emergency call CA (old)",
                ["emc_agentid"] = new EntityReference("systemuser", OmnichannelSeed.DndAgent),
                ["emc_dialednumber"] = "911",
                ["emc_countrycode"] = "CA",
                ["emc_location"] = "12 Elm Street, Ottawa",
                ["emc_callbacknumberid"] = new EntityReference("emc_callbacknumber", OmnichannelSeed.CallbackCaExpired),
                ["emc_callbackexpireson"] = new DateTime(2026, 1, 5, 8, 55, 0, DateTimeKind.Utc),
                ["statecode"] = new OptionSetValue(1),
            }).Add(new Entity("email", OldCall)
            {
                ["subject"] = "Emergency call: Dana dialed 911 in Canada",
                ["description"] = "<td>12 Elm Street, Ottawa</td><td>+16135550101</td><td>911</td>",
            }));
            var system = org.GetOrganizationService();
            system.Update(new Entity("emc_callbacknumber", OmnichannelSeed.CallbackCaExpired)
            {
                ["emc_emergencycallid"] = new EntityReference("emc_emergencycall", OldCall),
                ["emc_agentid"] = new EntityReference("systemuser", OmnichannelSeed.DndAgent),
            });
            org.ClearRequestLog();

            var start = Start(org, OmnichannelSeed.ReadyAgent, country: "CA", originNumberType: "DirectRouting");

            Assert.AreEqual("+16135550101", start.CallbackNumber);
            Assert.AreEqual(8, org.CountRoundTrips(StartApiType), "no write for the previous call: the clean-up owns it");

            AsAdmin(org).Execute(new OrganizationRequest("emc_ReleaseExpiredCallbackLeases"));

            var old = Call(org, OldCall);
            Assert.IsNull(old.GetAttributeValue<string>("emc_dialednumber"));
            Assert.IsNull(old.GetAttributeValue<EntityReference>("emc_callbacknumberid"));
            Assert.IsNull(old.GetAttributeValue<string>("emc_location"), "the location goes with the numbers");
            var email = org.GetRecord("email", OldCall)!;
            Assert.AreEqual("<td>[removed after the callback window]</td><td>[removed after the callback window]</td><td>911</td>",
                email.GetAttributeValue<string>("description"));
            Assert.AreEqual(start.CallId, org.GetRecord("emc_callbacknumber", OmnichannelSeed.CallbackCaExpired)!
                .GetAttributeValue<EntityReference>("emc_emergencycallid").Id, "the new lease is untouched");
        }

        [TestMethod]
        public void Start_AgentWithoutRecipients_NotConfiguredAndTheNotificationStepCostsNothing()
        {
            var org = CreateOrganization();

            var start = Start(org, OmnichannelSeed.NoRecipientsAgent);
            org.ClearRequestLog();
            org.RunPendingAsyncOperations();

            Assert.AreEqual(NotConfigured, start.NotificationStatus);
            Assert.AreEqual(NotConfigured, OptionValue(Call(org, start.CallId), "emc_notificationstatus"));
            Assert.AreEqual(0, org.GetRecords("email").Count);
            Assert.AreEqual(2, org.CountRoundTrips(PresencePluginType) + org.CountRoundTrips(NotificationPluginType), "only the presence follow-up ran (2)");
            Assert.AreEqual(0, org.CountRoundTrips(NotificationPluginType), "the email step read nothing");
        }

        [TestMethod]
        public void Start_PrerequisitesMissing_CallStartsAndEveryProblemIsAWarning()
        {
            var org = CreateOrganization();

            var start = Start(org, OmnichannelSeed.NoProfileAgent, country: "PR", originNumberType: "DirectRouting");

            Assert.AreNotEqual(Guid.Empty, start.CallId);
            var warnings = string.Join(Environment.NewLine, start.Warnings);
            StringAssert.Contains(warnings, "no active capacity profile");
            StringAssert.Contains(warnings, "no free number for PR");
            Assert.IsTrue(start.Warnings.Length >= 3, warnings);
            Assert.AreEqual(warnings, Call(org, start.CallId).GetAttributeValue<string>("emc_warnings"));
            AssertConfidential(org);
        }

        [TestMethod]
        public void Start_DirectOfferWhileADirectRoutingRuleCoversTheNumber_WarnsWithoutAnExtraRoundTrip()
        {
            var org = CreateOrganization();
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_DirectRoutingNumberPatterns", "[\"^\\\\+?(911|112)$\"]");

            var start = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: "DirectOffer");

            StringAssert.Contains(string.Join("|", start.Warnings), "direct-routing rule");
            Assert.AreEqual(8, org.CountRoundTrips(StartApiType), "the rules ride on the configuration query: no extra request");
        }

        [TestMethod]
        public void Start_OriginNumberTypeMissing_WarnsThatTheCarrierMustHandleEmergencyCalls()
        {
            var org = CreateOrganization();

            var start = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: null);

            Assert.AreEqual(1, start.Warnings.Length, string.Join("|", start.Warnings));
            StringAssert.Contains(start.Warnings[0], "carrier");
        }

        [TestMethod]
        public void Start_AgentAlreadyInDoNotDisturb_PriorPresenceIsDndAndNoPresenceWrite()
        {
            var org = CreateOrganization();

            var start = Start(org, OmnichannelSeed.DndAgent);
            org.ClearRequestLog();
            org.RunPendingAsyncOperations();

            Assert.AreEqual(OmnichannelSeed.PresenceDoNotDisturb, Call(org, start.CallId).GetAttributeValue<EntityReference>("emc_priorpresenceid").Id);
            Assert.AreEqual(0, org.CountRequests(r => r.MessageName == "Update" && r.EntityName == "msdyn_agentstatus"));
        }

        [TestMethod]
        public void Start_CallRowHoldsOperationalStateOnly_NoCallContentColumns()
        {
            var org = CreateOrganization();

            var start = Start(org, OmnichannelSeed.ReadyAgent);

            var columns = Call(org, start.CallId).Attributes.Keys.Where(k => k.StartsWith("emc_", StringComparison.Ordinal)).OrderBy(k => k).ToArray();
            CollectionAssert.IsSubsetOf(columns, new[]
            {
                "emc_agentid", "emc_callbackexpireson", "emc_callbacknumberid", "emc_conversationid", "emc_countrycode",
                "emc_dialednumber", "emc_emergencycallid", "emc_endedon", "emc_location", "emc_name", "emc_notificationerror",
                "emc_notificationstatus", "emc_priorpresenceid", "emc_startedon", "emc_warnings",
                "emc_originpath", "emc_callbackdetails", "emc_lefttoplatform",
            });
            Assert.IsFalse(Call(org, start.CallId).GetAttributeValue<string>("emc_name").Any(c => c >= '0' && c <= '9') &&
                Call(org, start.CallId).GetAttributeValue<string>("emc_name").Contains("911", StringComparison.Ordinal), "the name carries no number");
        }
    }
}
