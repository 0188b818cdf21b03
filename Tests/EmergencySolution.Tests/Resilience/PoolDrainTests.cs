using System.Globalization;
using EmergencySolution.Tests.Lifecycle;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Resilience
{
    /// <summary>
    /// One agent cannot drain the callback pool: the agent's own live lease comes first and is renewed, an agent holds
    /// at most one live lease, and repeated starts without a real call are throttled per agent (with a warning, never
    /// refused). The storm test prints the figures: pool numbers held per agent and starts without a number.
    /// </summary>
    [TestClass]
    public sealed class PoolDrainTests : LifecycleTestBase
    {
        private const int Agents = 500;
        private const int PoolSize = 500;

        public TestContext TestContext { get; set; } = null!;

        [TestMethod]
        public void Start_OneAgentStartsSixtyTimesWithoutACall_HoldsOneNumberAndTheNextAgentGetsOne()
        {
            var org = CreateOrganization();
            var pool = org.GetRecords("emc_callbacknumber").Count(n => n.GetAttributeValue<string>("emc_countrycode") == "US");

            var results = new List<OrganizationResponse>();
            for (var i = 0; i < 60; i++)
            {
                results.Add(SingleFaultWalkTests.StartWithKey(org, OmnichannelSeed.ReadyAgent, Guid.NewGuid(), null));
                org.RunPendingAsyncOperations();
            }

            Assert.IsTrue(results.All(r => (Guid)r["EmergencyCallId"] != Guid.Empty), "no start is refused");
            Assert.AreEqual(1, results.Select(r => (string)r["CallbackNumber"]).Distinct().Count(), "every start answers the one number the agent holds");
            Assert.AreEqual(1, LiveLeasesOf(org, OmnichannelSeed.ReadyAgent), "the agent holds one live lease");
            Assert.AreEqual(1, org.GetRecords("emc_emergencycall").Count, "starts without a real call return the agent's active call");
            Assert.AreEqual(1, org.GetRecords("email").Count, "the recipients are notified once");
            StringAssert.Contains(string.Join("|", (string[])results[1]["Warnings"]), "without a conversation, is still active, so this start returns it");

            var next = Start(org, OmnichannelSeed.DndAgent, originNumberType: "DirectRouting");
            Assert.AreNotEqual(string.Empty, next.CallbackNumber, "the next agent's call gets a number (pool of " + pool + ")");
            Assert.AreNotEqual(results[0]["CallbackNumber"], next.CallbackNumber);
        }

        [TestMethod]
        public void Start_AgentStartsAndEndsRepeatedlyWithoutACall_IsThrottledWithAWarningNeverRefused()
        {
            var org = CreateOrganization();
            var responses = new List<OrganizationResponse>();
            for (var i = 0; i < 6; i++)
            {
                var response = SingleFaultWalkTests.StartWithKey(org, OmnichannelSeed.ReadyAgent, Guid.NewGuid(), null);
                responses.Add(response);
                org.RunPendingAsyncOperations();
                End(org, OmnichannelSeed.ReadyAgent, (Guid)response["EmergencyCallId"]);
                org.RunPendingAsyncOperations();
            }

            Assert.AreEqual(6, org.GetRecords("emc_emergencycall").Count, "every start made its call");
            Assert.AreEqual(1, responses.Select(r => (string)r["CallbackNumber"]).Distinct().Count(), "one number throughout");
            Assert.AreEqual(1, LiveLeasesOf(org, OmnichannelSeed.ReadyAgent));
            Assert.IsTrue(org.GetRecords("email").Count <= 3, "emails sent: " + org.GetRecords("email").Count);
            StringAssert.Contains(string.Join("|", (string[])responses[5]["Warnings"]), "Throttled: 6 emergency calls without a conversation");
        }

        [TestMethod]
        public void Start_SecondRealCallInTheWindow_RenewsTheAgentsOwnLeaseInsteadOfTakingAFreeNumber()
        {
            var org = CreateOrganization(seed =>
            {
                seed.Add(OutboundVoiceConversation(Conversation(1, 0), OmnichannelSeed.ReadyAgent));
                seed.Add(OutboundVoiceConversation(Conversation(2, 0), OmnichannelSeed.ReadyAgent));
            });
            var first = Start(org, OmnichannelSeed.ReadyAgent, conversationId: Conversation(1, 0), originNumberType: "DirectRouting");
            org.AdvanceTime(TimeSpan.FromMinutes(30));

            var second = Start(org, OmnichannelSeed.ReadyAgent, conversationId: Conversation(2, 0), originNumberType: "DirectRouting");

            Assert.AreEqual(first.CallbackNumber, second.CallbackNumber, "the responder's number stays the agent's");
            Assert.AreEqual(org.UtcNow.AddMinutes(60), second.CallbackExpiresOn, "the lease is renewed from now");
            var lease = org.GetRecords("emc_callbacknumber").Single(n => n.GetAttributeValue<string>("emc_number") == first.CallbackNumber);
            Assert.AreEqual(second.CallId, lease.GetAttributeValue<EntityReference>("emc_emergencycallid").Id, "a callback reaches the newest call");
            Assert.AreEqual(1, LiveLeasesOf(org, OmnichannelSeed.ReadyAgent));
        }

        [TestMethod]
        public void Start_ShuffledThousandStartsAcrossFiveHundredAgentsAndNumbers_EveryAgentHoldsExactlyOneNumber()
        {
            var org = CreateOrganization(seed =>
            {
                seed.RemoveCallbackNumbers("US");
                for (var i = 0; i < Agents; i++)
                {
                    seed.AddAgent(AgentId(i), "Agent " + i.ToString("000", CultureInfo.InvariantCulture), a =>
                    {
                        a.CapacityProfiles.Add(OmnichannelSeed.ProfileVoiceOutbound);
                        a.Mailbox = SeedMailbox.None;
                    });
                    seed.Add(OutboundVoiceConversation(Conversation(1, i), AgentId(i)));
                    seed.Add(OutboundVoiceConversation(Conversation(2, i), AgentId(i)));
                }

                for (var i = 0; i < PoolSize; i++)
                {
                    seed.AddCallbackNumber(NumberId(i), "+1202556" + i.ToString("0000", CultureInfo.InvariantCulture), "US");
                }
            });

            // Every agent starts two real calls (two conversations): 1,000 starts in a shuffled order. Every 7th start is
            // overtaken on its first claim by the next start in the schedule, which the loop later repeats (idempotent).
            var schedule = Enumerable.Range(0, Agents).SelectMany(i => new[] { (Agent: i, Round: 1), (Agent: i, Round: 2) }).ToList();
            var random = new Random(20261201);
            for (var i = schedule.Count - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (schedule[i], schedule[j]) = (schedule[j], schedule[i]);
            }

            var position = 0;
            var hookArmed = false;
            var interleaved = 0;
            org.FailWhen(request =>
            {
                if (hookArmed && IsClaim(request) && position + 1 < schedule.Count)
                {
                    hookArmed = false;
                    interleaved++;
                    var next = schedule[position + 1];
                    Start(org, AgentId(next.Agent), conversationId: Conversation(next.Round, next.Agent), originNumberType: "DirectRouting");
                }

                return false;
            }, new Microsoft.Xrm.Sdk.OrganizationServiceFault { Message = "never raised" });

            var withoutNumber = 0;
            for (position = 0; position < schedule.Count; position++)
            {
                var (agent, round) = schedule[position];
                hookArmed = position % 7 == 3;
                var result = Start(org, AgentId(agent), conversationId: Conversation(round, agent), originNumberType: "DirectRouting");
                if (result.CallbackNumber.Length == 0)
                {
                    withoutNumber++;
                }

                if (position % 50 == 49)
                {
                    org.AdvanceTime(TimeSpan.FromSeconds(30));
                }
            }

            var heldPerAgent = Enumerable.Range(0, Agents).Select(i => LiveLeasesOf(org, AgentId(i))).ToList();
            var histogram = string.Join(", ", heldPerAgent.GroupBy(n => n).OrderBy(g => g.Key)
                .Select(g => g.Key + " number(s): " + g.Count() + " agent(s)"));
            var report = "shuffled storm (1,000 starts, 500 agents, 500 numbers, " + interleaved + " collisions): pool numbers held per agent: " +
                histogram + "; starts without a number: " + withoutNumber;
            TestContext.WriteLine(report);
            Console.WriteLine(report);

            Assert.IsTrue(interleaved >= 100, "collisions were exercised: " + interleaved);
            Assert.AreEqual(1000, org.GetRecords("emc_emergencycall").Count, "one call per (agent, conversation)");
            Assert.IsTrue(heldPerAgent.All(n => n == 1), report);
            Assert.AreEqual(0, withoutNumber, report);
        }

        internal static int LiveLeasesOf(InMemoryOrganization org, Guid agentId) =>
            org.GetRecords("emc_callbacknumber").Count(n => n.GetAttributeValue<EntityReference>("emc_agentid")?.Id == agentId
                && n.GetAttributeValue<DateTime?>("emc_leaseexpireson") > org.UtcNow);

        /// <summary>The claim: the same-value write on a pool row that takes its row lock before the row is read again.</summary>
        internal static bool IsClaim(OrganizationRequest request) =>
            request is UpdateRequest update && update.Target.LogicalName == "emc_callbacknumber"
            && !update.Target.Contains("emc_leaseexpireson");

        private static Guid AgentId(int index) => new Guid("d0000000-0000-4000-8000-" + index.ToString("000000000000", CultureInfo.InvariantCulture));

        private static Guid NumberId(int index) => new Guid("d1000000-0000-4000-8000-" + index.ToString("000000000000", CultureInfo.InvariantCulture));

        private static Guid Conversation(int round, int index) =>
            new Guid("d2000000-0000-4000-800" + round.ToString(CultureInfo.InvariantCulture) + "-" + index.ToString("000000000000", CultureInfo.InvariantCulture));
    }
}
