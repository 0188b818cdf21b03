using System.ServiceModel;
using EmergencySolution.Tests.Lifecycle;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Resilience
{
    /// <summary>
    /// Every request that Start and its follow-up steps (the notification and presence steps on the new call) make, failed
    /// one at a time, with each kind of failure: an organization-service fault, a timeout and any other exception. The
    /// sender behaves as the panel does: when Start itself fails, it sends Start again with the same IdempotencyKey, once.
    /// After each run the call row exists, nothing is half-written (the pool and the call agree, at most one live lease
    /// per agent, no notification left queued, no draft email left behind, no failed system job), and nothing of the
    /// call is stored as history (checked for every organization by the base class).
    /// </summary>
    [TestClass]
    public sealed class SingleFaultWalkTests : LifecycleTestBase
    {
        private static readonly Guid OwnConversation = new Guid("f1000000-0000-4000-8000-000000000001");

        private static readonly Guid SecondConversation = new Guid("f1000000-0000-4000-8000-000000000002");

        private static readonly (string Kind, Func<Exception> Make)[] FailureKinds =
        {
            ("fault", () => new FaultException<OrganizationServiceFault>(
                new OrganizationServiceFault { ErrorCode = unchecked((int)0x80044150), Message = "Generic SQL error." },
                new FaultReason("Generic SQL error."))),
            ("timeout", () => new TimeoutException("The request channel timed out while waiting for a reply after 00:02:00.")),
            ("other exception", () => new InvalidOperationException("The underlying connection was closed unexpectedly.")),
        };

        public TestContext TestContext { get; set; } = null!;

        /// <summary>The scenarios walked: a manual start, a start on the agent's own conversation, and a second call that renews the agent's lease.</summary>
        private static readonly Scenario[] Scenarios =
        {
            new Scenario("manual start, no conversation", null, setUp: null),
            new Scenario("start on the agent's own outbound voice conversation", OwnConversation, setUp: null),
            new Scenario("second real call inside the window (own lease renewed)", SecondConversation,
                setUp: org => StartWithKey(org, OmnichannelSeed.ReadyAgent, OwnConversation, OwnConversation)),
        };

        [TestMethod]
        public void Start_EverySingleFaultOfEveryKind_LeavesTheCallRowAndNothingHalfWritten()
        {
            var injected = 0;
            var survived = 0;
            var neededRetry = 0;
            var failures = new List<string>();

            foreach (var scenario in Scenarios)
            {
                var requests = CountPluginRequests(scenario);
                Assert.IsTrue(requests >= 8, scenario.Name + ": the clean run makes " + requests + " plugin requests");

                foreach (var (kind, make) in FailureKinds)
                {
                    for (var index = 1; index <= requests; index++)
                    {
                        injected++;
                        var outcome = RunWithOneFault(scenario, index, make);
                        if (outcome.Problem == null)
                        {
                            survived++;
                            neededRetry += outcome.Retried ? 1 : 0;
                        }
                        else
                        {
                            failures.Add(scenario.Name + ", " + kind + " on plugin request " + index + " (" + outcome.FailedRequest + "): " + outcome.Problem);
                        }
                    }
                }
            }

            var report = string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "single faults survived {0} of {1} ({2} completed by the sender's one retry with the same IdempotencyKey)", survived, injected, neededRetry);
            TestContext.WriteLine(report);
            Console.WriteLine(report);
            Assert.AreEqual(injected, survived, report + Environment.NewLine + string.Join(Environment.NewLine, failures.Take(20)));
        }

        private int CountPluginRequests(Scenario scenario)
        {
            var org = Prepare(scenario);
            var before = org.RequestLog.Count;
            StartWithKey(org, OmnichannelSeed.ReadyAgent, Guid.NewGuid(), scenario.ConversationId);
            org.RunPendingAsyncOperations();
            return org.RequestLog.Skip(before).Count(r => r.FromPlugin);
        }

        private InMemoryOrganization Prepare(Scenario scenario)
        {
            var org = CreateOrganization(seed =>
            {
                seed.Add(OutboundVoiceConversation(OwnConversation, OmnichannelSeed.ReadyAgent));
                seed.Add(OutboundVoiceConversation(SecondConversation, OmnichannelSeed.ReadyAgent));
            });
            scenario.SetUp?.Invoke(org);
            org.RunPendingAsyncOperations();
            return org;
        }

        private Outcome RunWithOneFault(Scenario scenario, int faultAt, Func<Exception> make)
        {
            var org = Prepare(scenario);
            var seen = 0;
            string? failedRequest = null;
            org.FailWhen(request =>
            {
                var entry = org.RequestLog[org.RequestLog.Count - 1];
                if (!entry.FromPlugin)
                {
                    return false;
                }

                seen++;
                if (seen != faultAt)
                {
                    return false;
                }

                failedRequest = entry.MessageName + (entry.EntityName != null ? " " + entry.EntityName : string.Empty);
                return true;
            }, make());

            var key = Guid.NewGuid();
            var retried = false;
            try
            {
                StartWithKey(org, OmnichannelSeed.ReadyAgent, key, scenario.ConversationId);
            }
            catch (FaultException<OrganizationServiceFault>)
            {
                retried = true;
            }

            if (retried)
            {
                try
                {
                    StartWithKey(org, OmnichannelSeed.ReadyAgent, key, scenario.ConversationId);
                }
                catch (FaultException<OrganizationServiceFault> fault)
                {
                    return new Outcome("Start failed again on the retry: " + fault.Detail.Message, retried, failedRequest);
                }
            }

            org.RunPendingAsyncOperations();
            return new Outcome(FindProblem(org, key), retried, failedRequest);
        }

        /// <summary>Null when the call survived whole; otherwise what is missing or half-written.</summary>
        private static string? FindProblem(InMemoryOrganization org, Guid key)
        {
            var call = org.GetRecord("emc_emergencycall", key);
            if (call == null)
            {
                return "no call row with the IdempotencyKey as its id";
            }

            var calls = org.GetRecords("emc_emergencycall");
            var pool = org.GetRecords("emc_callbacknumber");
            // Live leases that Start made (the seed also holds a DK lease of its own, without a call).
            var live = pool.Where(n => n.GetAttributeValue<DateTime?>("emc_leaseexpireson") > org.UtcNow
                && n.GetAttributeValue<EntityReference>("emc_emergencycallid") != null).ToList();
            foreach (var lease in live)
            {
                var leasedCall = lease.GetAttributeValue<EntityReference>("emc_emergencycallid");
                var holder = leasedCall == null ? null : calls.SingleOrDefault(c => c.Id == leasedCall.Id);
                if (holder == null)
                {
                    return "a live lease names a call that does not exist";
                }

                if (holder.GetAttributeValue<EntityReference>("emc_callbacknumberid")?.Id != lease.Id)
                {
                    return "a live lease and its call disagree about the number";
                }

                if (holder.GetAttributeValue<EntityReference>("emc_agentid")?.Id != lease.GetAttributeValue<EntityReference>("emc_agentid")?.Id)
                {
                    return "a live lease and its call disagree about the agent";
                }
            }

            if (live.GroupBy(n => n.GetAttributeValue<EntityReference>("emc_agentid")?.Id).Any(g => g.Count() > 1))
            {
                return "an agent holds two live leases";
            }

            var number = call.GetAttributeValue<EntityReference>("emc_callbacknumberid");
            if (number != null && !live.Any(n => n.Id == number.Id && n.GetAttributeValue<EntityReference>("emc_emergencycallid")?.Id == call.Id))
            {
                return "the call names a callback number whose lease is not the call's";
            }

            var status = OptionValue(call, "emc_notificationstatus");
            var emails = org.GetRecords("email");
            if (status == Queued)
            {
                return "the notification is still queued after its step ran";
            }

            if (status == Failed && string.IsNullOrWhiteSpace(call.GetAttributeValue<string>("emc_notificationerror")))
            {
                return "the notification failed without a reason on the call";
            }

            if (status == Failed && emails.Any(e => e.Id == key))
            {
                return "the notification failed but its email row is left behind";
            }

            if (status == Sent && emails.Count(e => e.Id == key) != 1)
            {
                return "the notification is Sent but its email row is missing";
            }

            if (org.FailedAsyncOperations.Count > 0)
            {
                return "a follow-up step failed instead of recording the problem on the call: " + org.FailedAsyncOperations[0].Exception.Message;
            }

            var inDoNotDisturb = CurrentPresence(org, OmnichannelSeed.ReadyAgent) == OmnichannelSeed.PresenceDoNotDisturb;
            var warnings = call.GetAttributeValue<string>("emc_warnings") ?? string.Empty;
            if (!inDoNotDisturb && warnings.IndexOf("resence", StringComparison.Ordinal) < 0)
            {
                return "the agent is not in Do not disturb and the call does not say why";
            }

            return null;
        }

        internal static OrganizationResponse StartWithKey(InMemoryOrganization org, Guid agentId, Guid key, Guid? conversationId)
        {
            var request = StartRequest(conversationId: conversationId, originNumberType: "DirectRouting");
            request["IdempotencyKey"] = key;
            return AsAgent(org, agentId).Execute(request);
        }

        private sealed class Scenario
        {
            public Scenario(string name, Guid? conversationId, Action<InMemoryOrganization>? setUp)
            {
                Name = name;
                ConversationId = conversationId;
                SetUp = setUp == null ? null : org => setUp(org);
            }

            public string Name { get; }

            public Guid? ConversationId { get; }

            public Action<InMemoryOrganization>? SetUp { get; }
        }

        private sealed class Outcome
        {
            public Outcome(string? problem, bool retried, string? failedRequest)
            {
                Problem = problem;
                Retried = retried;
                FailedRequest = failedRequest ?? "not reached";
            }

            public string? Problem { get; }

            public bool Retried { get; }

            public string FailedRequest { get; }
        }
    }
}
