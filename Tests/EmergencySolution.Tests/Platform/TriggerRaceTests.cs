using System.ServiceModel;
using System.Threading;
using EmergencySolution.Tests.Lifecycle;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Platform
{
    /// <summary>
    /// The three triggers of one dial, truly at once, on real threads (the in-memory Dataverse takes row locks as SQL
    /// does): the client watcher's emc_StartEmergencyCall (keyed by the conversation, retried as the watcher retries), the
    /// server trigger (the platform writes msdyn_ocphonecallengagementctx; its asynchronous step runs at once on that
    /// thread) and the panel's manual start. Each round starts the three in a random order with random small delays, many
    /// times: exactly one call, one email and one lease every time.
    /// </summary>
    [TestClass]
    public sealed class TriggerRaceTests : LifecycleTestBase
    {
        private const int Rounds = 40;
        private const string OrgNumber = "+12025550177";
        private const int Refused = unchecked((int)0x80040265);

        [TestMethod]
        public void WatcherServerTriggerAndManualStart_AtOnce_OneCallOneEmailOneLease_EveryRound()
        {
            var seed = Environment.TickCount;
            var random = new Random(seed);
            var lostRaces = 0;
            for (var round = 0; round < Rounds; round++)
            {
                var conversationId = Guid.NewGuid();
                var org = OrgWithConversation(conversationId);
                var triggers = new List<Action>
                {
                    () => WatcherStart(org, conversationId),
                    () => PlatformWritesPhoneContext(org, conversationId),
                    () => ManualStart(org),
                };
                var delays = triggers.Select(_ => random.Next(0, 3)).ToList();
                var order = triggers.Select((t, i) => (t, i, key: random.Next())).OrderBy(p => p.key).ToList();

                var errors = RunAtOnce(order.Select(p => (Action)(() =>
                {
                    Thread.Sleep(delays[p.i]);
                    p.t();
                })).ToList());

                var label = "seed " + seed + ", round " + round + ", order " + string.Join(",", order.Select(p => p.i)) +
                    ", delays " + string.Join(",", delays) + ": " + string.Join("; ", errors.Concat(org.FailedAsyncOperations.Select(f => f.ToString())));
                Assert.AreEqual(0, errors.Count, label);
                var calls = org.GetRecords("emc_emergencycall");
                Assert.AreEqual(1, calls.Count, "one call; " + label);
                Assert.AreEqual(1, org.CountRequests(r => r.MessageName == "SendEmail" && r.Succeeded), "one email; " + label);
                Assert.AreEqual(1, org.GetRecords("emc_callbacknumber").Count(n => n.GetAttributeValue<EntityReference>("emc_emergencycallid") != null), "one lease; " + label);
                Assert.AreEqual(conversationId, calls[0].GetAttributeValue<EntityReference>("emc_conversationid")?.Id, "the call has the dial's conversation; " + label);
                lostRaces += org.CountRequests(r => r.MessageName == "emc_StartEmergencyCall" && !r.Succeeded);
            }

            // How often a start lost the race on the key and was retried (the interleavings were real): printed, not asserted.
            Console.WriteLine("seed " + seed + ": " + Rounds + " rounds, " + lostRaces + " starts lost the race on the key and were retried");
        }

        /// <summary>The watcher's request: ConversationId and IdempotencyKey = the conversation; retried on anything but a refusal.</summary>
        private static void WatcherStart(InMemoryOrganization org, Guid conversationId)
        {
            var request = StartRequest(conversationId: conversationId);
            request["IdempotencyKey"] = conversationId;
            ExecuteWithRetries(org, request);
        }

        /// <summary>
        /// The panel's manual start, as the panel sends it: it reads the agent's newest open outbound voice conversation
        /// (one query, as the agent) and, when there is one, keys the start by it as the watcher does; otherwise a fresh key.
        /// </summary>
        private static void ManualStart(InMemoryOrganization org)
        {
            var service = org.CreateOrganizationService(OmnichannelSeed.ReadyAgent);
            var query = new QueryExpression("msdyn_ocliveworkitem") { ColumnSet = new ColumnSet("msdyn_isoutbound", "msdyn_channel"), TopCount = 1 };
            query.Criteria.AddCondition("msdyn_activeagentid", ConditionOperator.Equal, OmnichannelSeed.ReadyAgent);
            query.Criteria.AddCondition("msdyn_isoutbound", ConditionOperator.Equal, true);
            query.Criteria.AddCondition("statecode", ConditionOperator.Equal, 0);
            query.AddOrder("createdon", OrderType.Descending);
            var conversation = service.RetrieveMultiple(query).Entities.FirstOrDefault();

            var request = StartRequest(conversationId: conversation?.Id);
            request["IdempotencyKey"] = conversation?.Id ?? Guid.NewGuid();
            ExecuteWithRetries(org, request);
        }

        private static void ExecuteWithRetries(InMemoryOrganization org, OrganizationRequest request)
        {
            var service = org.CreateOrganizationService(OmnichannelSeed.ReadyAgent);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    service.Execute(request);
                    return;
                }
                catch (FaultException<OrganizationServiceFault> fault) when (fault.Detail?.ErrorCode != Refused && attempt < 5)
                {
                    // As the clients: retry anything but a refusal of the input (with a short wait here).
                    Thread.Sleep(attempt);
                }
            }
        }

        /// <summary>The platform (its service user; SYSTEM stands in) writes the per-call context with the dialed number.</summary>
        private static void PlatformWritesPhoneContext(InMemoryOrganization org, Guid conversationId)
        {
            org.GetOrganizationService().Create(new Entity("msdyn_ocphonecallengagementctx", Guid.NewGuid())
            {
                ["msdyn_liveworkitemid"] = new EntityReference("msdyn_ocliveworkitem", conversationId),
                ["msdyn_fromphone"] = "911",
                ["msdyn_tophone"] = OrgNumber,
            });
        }

        private static List<string> RunAtOnce(IReadOnlyList<Action> actions)
        {
            var errors = new List<string>();
            using (var gate = new Barrier(actions.Count))
            {
                var threads = actions.Select(action => new Thread(() =>
                {
                    gate.SignalAndWait();
                    try
                    {
                        action();
                    }
                    catch (Exception exception)
                    {
                        lock (errors)
                        {
                            errors.Add(exception.GetType().Name + ": " + exception.Message);
                        }
                    }
                })).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
            }

            return errors;
        }

        private InMemoryOrganization OrgWithConversation(Guid conversationId)
        {
            var org = CreateOrganization(seed => seed.Add(OutboundVoiceConversation(conversationId, OmnichannelSeed.ReadyAgent)));
            org.AssignRole(OmnichannelSeed.ReadyAgent, "Emergency Calling Agent");
            // Both the trigger and the watcher lease a pool number where the admin said the carrier presents it.
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_CarrierPresentsPoolNumbers", "yes");
            // The asynchronous steps (the server trigger, presence, email) run right after each commit, on the committing thread.
            org.RunAsyncStepsImmediately = true;
            org.ClearRequestLog();
            return org;
        }
    }
}
