using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Lifecycle
{
    /// <summary>
    /// The whole lifecycle through the registered pipeline: dial → Do not disturb → 60-minute lease → email with every
    /// token → panel data → end → prior presence back; the callback resolves inside the window and not after it.
    /// </summary>
    [TestClass]
    public sealed class HappyPathTests : LifecycleTestBase
    {
        private static readonly Guid Conversation = new Guid("b1000000-0000-4000-8000-000000000001");

        /// <remarks>Longer than 60 lines on purpose: one emergency call's whole life, in order, read top to bottom.</remarks>
        [TestMethod]
        public void Lifecycle_ReadyAgentDialsEndsAndIsCalledBack_EveryStepHappensAndNothingIsStored()
        {
            var org = CreateOrganization();
            var startedAt = org.UtcNow;

            var start = Start(org, OmnichannelSeed.ReadyAgent, "9-1-1", "US", Conversation);

            // Panel data, straight from Start.
            Assert.AreEqual("+12025550101", start.CallbackNumber);
            Assert.AreEqual(startedAt.AddMinutes(60), start.CallbackExpiresOn);
            Assert.AreEqual(Queued, start.NotificationStatus);
            // The one line a direct-routing call always carries: the carrier's part cannot be checked from Dataverse.
            CollectionAssert.AreEqual(new[] { "The origin number uses direct routing: the carrier behind that number must handle emergency calls; confirm it with the carrier." },
                start.Warnings, string.Join(Environment.NewLine, start.Warnings));

            var call = Call(org, start.CallId);
            Assert.AreEqual("911", call.GetAttributeValue<string>("emc_dialednumber"));
            Assert.AreEqual("US", call.GetAttributeValue<string>("emc_countrycode"));
            Assert.AreEqual(OmnichannelSeed.ReadyAgent, call.GetAttributeValue<EntityReference>("emc_agentid").Id);
            Assert.AreEqual(Conversation, call.GetAttributeValue<EntityReference>("emc_conversationid").Id);
            Assert.AreEqual(OmnichannelSeed.PresenceAvailable, call.GetAttributeValue<EntityReference>("emc_priorpresenceid").Id);
            Assert.AreEqual(OmnichannelSeed.CallbackUs1, call.GetAttributeValue<EntityReference>("emc_callbacknumberid").Id);
            Assert.AreEqual(0, OptionValue(call, "statecode"));

            var lease = org.GetRecord("emc_callbacknumber", OmnichannelSeed.CallbackUs1)!;
            Assert.AreEqual(start.CallId, lease.GetAttributeValue<EntityReference>("emc_emergencycallid").Id);
            Assert.AreEqual(OmnichannelSeed.ReadyAgent, lease.GetAttributeValue<EntityReference>("emc_agentid").Id);
            Assert.AreEqual(startedAt.AddMinutes(60), lease.GetAttributeValue<DateTime>("emc_leaseexpireson"));

            // The follow-ups run after commit: Do not disturb, then the email.
            Assert.AreEqual(2, org.RunPendingAsyncOperations());
            Assert.AreEqual(0, org.FailedAsyncOperations.Count, string.Join("; ", org.FailedAsyncOperations));
            Assert.AreEqual(OmnichannelSeed.PresenceDoNotDisturb, CurrentPresence(org, OmnichannelSeed.ReadyAgent));
            call = Call(org, start.CallId);
            Assert.AreEqual(Sent, OptionValue(call, "emc_notificationstatus"), call.GetAttributeValue<string>("emc_notificationerror"));

            var email = org.GetRecords("email").Single();
            Assert.AreEqual(3, OptionValue(email, "statuscode"), "the email is sent");
            var body = email.GetAttributeValue<string>("description");
            StringAssert.Contains(body, "Avery Ready");
            StringAssert.Contains(body, "+12025550101");
            StringAssert.Contains(body, "1 Main St, Suite 200, Springfield, IL 62701");
            Assert.IsFalse(body.Contains("{{emc:", StringComparison.Ordinal), "every token is replaced: " + body);

            // The callback reaches the agent while the lease is live.
            org.AdvanceTime(TimeSpan.FromMinutes(30));
            var callback = Resolve(org, "+1 202 555 0101");
            Assert.IsTrue((bool)callback["Matched"]);
            Assert.AreEqual(OmnichannelSeed.ReadyAgent, (Guid)callback["AgentId"]);
            Assert.AreEqual(start.CallId, (Guid)callback["EmergencyCallId"]);
            Assert.AreEqual(0, (int)callback["Priority"]);
            Assert.IsTrue((bool)callback["BypassRouting"]);

            // End: prior presence back, call ended, lease runs on.
            var restored = End(org, OmnichannelSeed.ReadyAgent, start.CallId);
            Assert.AreEqual(OmnichannelSeed.PresenceAvailable, restored);
            org.RunPendingAsyncOperations();
            Assert.AreEqual(OmnichannelSeed.PresenceAvailable, CurrentPresence(org, OmnichannelSeed.ReadyAgent));
            call = Call(org, start.CallId);
            Assert.AreEqual(1, OptionValue(call, "statecode"));
            Assert.AreEqual(org.UtcNow, call.GetAttributeValue<DateTime>("emc_endedon"));
            Assert.IsTrue((bool)Resolve(org, "+12025550101")["Matched"], "the lease outlives the call");

            // After the window: refused.
            org.AdvanceTime(TimeSpan.FromMinutes(31));
            var late = Resolve(org, "+12025550101");
            Assert.IsFalse((bool)late["Matched"]);
            Assert.IsFalse((bool)late["BypassRouting"]);

            AssertConfidential(org);
        }
    }
}
