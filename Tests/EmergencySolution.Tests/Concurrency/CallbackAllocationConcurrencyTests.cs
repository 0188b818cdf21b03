using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using EmergencySolution.Tests.Lifecycle;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Concurrency
{
    /// <summary>
    /// Callback-number allocation when starts collide. The harness runs one request at a time, so a collision is made
    /// deterministic: a hook on a start's claim of its first candidate runs another start first, which takes that very
    /// number, exactly as a simultaneous start that committed just before our claim. Two live leases must never share a
    /// number, and no start may fail or block because of it. These count, they do not time.
    /// </summary>
    [TestClass]
    public sealed class CallbackAllocationConcurrencyTests : LifecycleTestBase
    {
        private const int Agents = 500;
        private const int PoolSize = 500;

        [TestMethod]
        public void Allocation_CandidateTakenBetweenQueryAndClaim_SkipsToTheNextNumberWithoutAFault()
        {
            var org = CreateOrganization();
            var armed = true;
            StartResult? competitor = null;
            org.FailWhen(request =>
            {
                if (armed && IsClaim(request))
                {
                    armed = false;
                    competitor = Start(org, OmnichannelSeed.DndAgent);
                }

                return false;
            }, new OrganizationServiceFault { Message = "never raised" });

            var start = Start(org, OmnichannelSeed.ReadyAgent);

            Assert.IsNotNull(competitor);
            Assert.AreEqual("+12025550101", competitor!.CallbackNumber, "the competitor took the first candidate");
            Assert.AreEqual("+12025550102", start.CallbackNumber, "our start moved on to the next");
            Assert.AreEqual(OmnichannelSeed.DndAgent, (Guid)Resolve(org, "+12025550101")["AgentId"]);
            Assert.AreEqual(OmnichannelSeed.ReadyAgent, (Guid)Resolve(org, "+12025550102")["AgentId"]);
            Assert.IsTrue(org.Traces.Any(t => t.Contains("callback candidate taken by another start (1 skipped)", StringComparison.Ordinal)));
            Assert.AreEqual(0, start.Warnings.Count(w => w.StartsWith("No callback number", StringComparison.Ordinal)));
        }

        [TestMethod]
        public void Allocation_OnlyCandidateTakenBetweenQueryAndClaim_StartsWithoutNumberRatherThanSharingIt()
        {
            var org = CreateOrganization(seed => seed.RemoveCallbackNumbers("US").AddCallbackNumber(OmnichannelSeed.CallbackUs1, "+12025550101", "US"));
            var armed = true;
            org.FailWhen(request =>
            {
                if (armed && IsClaim(request))
                {
                    armed = false;
                    Start(org, OmnichannelSeed.DndAgent);
                }

                return false;
            }, new OrganizationServiceFault { Message = "never raised" });

            var start = Start(org, OmnichannelSeed.ReadyAgent);

            Assert.AreEqual(string.Empty, start.CallbackNumber);
            StringAssert.Contains(string.Join("|", start.Warnings), "No callback number was leased: every free number for US was taken by simultaneous emergency calls.");
            Assert.AreEqual(OmnichannelSeed.DndAgent, (Guid)Resolve(org, "+12025550101")["AgentId"]);
            Assert.AreEqual(2, org.GetRecords("emc_emergencycall").Count, "both calls started");
        }

        [TestMethod]
        public void Allocation_ThousandStartsAcrossFiveHundredAgentsOnAFiveHundredNumberPool_NoTwoLiveLeasesShareANumber()
        {
            var org = CreateAgentsAndPool();

            // Two rounds: every agent starts twice, on two conversations, 1,000 starts in all. Every 7th start is
            // overtaken on its first candidate by the next agent's start, which the loop later repeats (idempotent).
            var schedule = new List<(int Agent, Guid Conversation)>();
            for (var round = 1; round <= 2; round++)
            {
                for (var i = 0; i < Agents; i++)
                {
                    schedule.Add((i, ConversationId(round, i)));
                }
            }

            var interleaved = 0;
            var position = 0;
            var hookArmed = false;
            org.FailWhen(request =>
            {
                if (hookArmed && IsClaim(request) && position + 1 < schedule.Count)
                {
                    hookArmed = false;
                    interleaved++;
                    var next = schedule[position + 1];
                    Start(org, AgentId(next.Agent), conversationId: next.Conversation);
                }

                return false;
            }, new OrganizationServiceFault { Message = "never raised" });

            var results = new List<(int Agent, StartResult Result)>();
            var maxUncontendedRoundTrips = 0;
            for (position = 0; position < schedule.Count; position++)
            {
                var (agent, conversation) = schedule[position];
                hookArmed = position % 7 == 3;
                var interleavedBefore = interleaved;
                org.ClearRequestLog();
                var result = Start(org, AgentId(agent), conversationId: conversation);
                results.Add((agent, result));
                if (interleaved == interleavedBefore)
                {
                    maxUncontendedRoundTrips = Math.Max(maxUncontendedRoundTrips, org.CountRoundTrips(StartApiType));
                }

                if (position == Agents - 1)
                {
                    org.AdvanceTime(TimeSpan.FromMinutes(5));
                }
            }

            Assert.AreEqual(1000, results.Count);
            Assert.IsTrue(interleaved >= 100, "collisions were exercised: " + interleaved);
            Assert.IsTrue(maxUncontendedRoundTrips <= 9, "requests of an uncontended start: " + maxUncontendedRoundTrips);

            var calls = org.GetRecords("emc_emergencycall");
            Assert.AreEqual(1000, calls.Count, "one call per (agent, conversation); repeated starts returned the same call");
            Assert.IsTrue(results.All(r => r.Result.CallbackNumber.Length > 0), "every agent got a callback number");

            AssertEveryAgentHoldsOneNumberAlone(org, calls, results);
            AssertConfidential(org);
        }

        /// <summary>Agents voice-outbound agents without mailboxes, and a US pool of PoolSize numbers.</summary>
        private InMemoryOrganization CreateAgentsAndPool()
        {
            return CreateOrganization(seed =>
            {
                seed.RemoveCallbackNumbers("US");
                for (var i = 0; i < Agents; i++)
                {
                    seed.AddAgent(AgentId(i), "Agent " + i.ToString("000", System.Globalization.CultureInfo.InvariantCulture), a =>
                    {
                        a.CapacityProfiles.Add(OmnichannelSeed.ProfileVoiceOutbound);
                        a.Mailbox = SeedMailbox.None;
                    });
                }

                for (var i = 0; i < PoolSize; i++)
                {
                    seed.AddCallbackNumber(NumberId(i), "+1202556" + i.ToString("0000", System.Globalization.CultureInfo.InvariantCulture), "US");
                }
            });
        }

        /// <summary>
        /// No number has two live holders: every live call on a number belongs to one agent, the pool row names that
        /// agent, and an agent's second call keeps the number the responder already has.
        /// </summary>
        private static void AssertEveryAgentHoldsOneNumberAlone(InMemoryOrganization org, IReadOnlyList<Entity> calls, List<(int Agent, StartResult Result)> results)
        {
            var liveByNumber = calls
                .Where(c => c.GetAttributeValue<EntityReference>("emc_callbacknumberid") != null && c.GetAttributeValue<DateTime>("emc_callbackexpireson") > org.UtcNow)
                .GroupBy(c => c.GetAttributeValue<EntityReference>("emc_callbacknumberid").Id)
                .ToList();
            var shared = liveByNumber.Where(g => g.Select(c => c.GetAttributeValue<EntityReference>("emc_agentid").Id).Distinct().Count() > 1).ToList();
            Assert.AreEqual(0, shared.Count, "numbers with two live holders: " + shared.Count);
            Assert.AreEqual(Agents, liveByNumber.Count, "each agent holds exactly one number");
            foreach (var group in liveByNumber)
            {
                var pool = org.GetRecord("emc_callbacknumber", group.Key)!;
                Assert.AreEqual(group.First().GetAttributeValue<EntityReference>("emc_agentid").Id, pool.GetAttributeValue<EntityReference>("emc_agentid").Id);
            }

            // An agent's second call keeps the number the responder already has.
            foreach (var agentResults in results.GroupBy(r => r.Agent))
            {
                Assert.AreEqual(1, agentResults.Select(r => r.Result.CallbackNumber).Distinct().Count());
            }
        }

        private static bool IsClaim(OrganizationRequest request) => Resilience.PoolDrainTests.IsClaim(request);

        private static Guid AgentId(int index) => new Guid("c0000000-0000-4000-8000-" + index.ToString("000000000000", System.Globalization.CultureInfo.InvariantCulture));

        private static Guid NumberId(int index) => new Guid("c1000000-0000-4000-8000-" + index.ToString("000000000000", System.Globalization.CultureInfo.InvariantCulture));

        private static Guid ConversationId(int round, int index) =>
            new Guid("c2000000-0000-4000-800" + round.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + index.ToString("000000000000", System.Globalization.CultureInfo.InvariantCulture));
    }
}
