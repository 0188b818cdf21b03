using EmergencySolution.Tests.Lifecycle;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Platform
{
    /// <summary>
    /// Presence right whatever the order (issue 14 item 5): Dataverse promises no order between asynchronous steps, so
    /// each scenario runs its queued steps in EVERY order. After the agent's last call ends, the agent has the presence
    /// from before the first one; no code writes msdyn_agentstatus (only the presence service's model does).
    /// </summary>
    [TestClass]
    public sealed class PresenceOrderTests : LifecycleTestBase
    {
        private static readonly Guid FirstConversation = new Guid("c4000000-0000-4000-8000-000000000001");
        private static readonly Guid SecondConversation = new Guid("c4000000-0000-4000-8000-000000000002");
        private static readonly Guid Supervisor = new Guid("a4000000-0000-4000-8000-0000000000b1");

        [TestMethod]
        public void EndBeforeOrAfterThePresenceStep_EveryOrder_ThePriorPresenceComesBack()
        {
            var orders = 0;
            foreach (var order in Permutations(3))
            {
                var org = CreateOrganization(seed => seed.Agent(OmnichannelSeed.ReadyAgent).CurrentPresenceId = OmnichannelSeed.PresenceAway);
                var start = Start(org, OmnichannelSeed.ReadyAgent);
                End(org, OmnichannelSeed.ReadyAgent, start.CallId);
                Assert.AreEqual(3, org.PendingAsyncOperationCount, string.Join("; ", org.PendingAsyncOperations));

                org.ReorderPendingAsyncOperations(order);
                org.RunPendingAsyncOperations();

                Assert.AreEqual(OmnichannelSeed.PresenceAway, CurrentPresence(org, OmnichannelSeed.ReadyAgent), "order " + string.Join(",", order));
                AssertNoPluginWroteAgentStatus(org);
                orders++;
            }

            Assert.AreEqual(6, orders);
        }

        [TestMethod]
        public void RedialWhileTheFirstCallsEndIsQueued_EveryOrder_TheAgentEndsWithThePresenceFromBeforeTheFirstCall()
        {
            foreach (var order in Permutations(3))
            {
                var org = CreateOrganization(seed =>
                {
                    seed.Agent(OmnichannelSeed.ReadyAgent).CurrentPresenceId = OmnichannelSeed.PresenceBusy;
                    seed.Add(ConversationRow(FirstConversation));
                    seed.Add(ConversationRow(SecondConversation));
                });
                var first = Start(org, OmnichannelSeed.ReadyAgent, conversationId: FirstConversation);
                org.RunPendingAsyncOperations();
                Assert.AreEqual(OmnichannelSeed.PresenceDoNotDisturb, CurrentPresence(org, OmnichannelSeed.ReadyAgent));

                // The call drops, its conversation closes (the safety net's End is queued), and the agent redials at once:
                // Start sees Do not disturb as the presence.
                Close(org, OmnichannelSeed.ReadyAgent, FirstConversation);
                var second = Start(org, OmnichannelSeed.ReadyAgent, conversationId: SecondConversation);
                Assert.AreEqual(OmnichannelSeed.PresenceDoNotDisturb, Call(org, second.CallId).GetAttributeValue<EntityReference>("emc_priorpresenceid").Id);
                org.ReorderPendingAsyncOperations(order);
                org.RunPendingAsyncOperations();

                var label = "order " + string.Join(",", order);
                Assert.AreEqual(1, OptionValue(Call(org, first.CallId), "statecode"), label);
                Assert.AreEqual(OmnichannelSeed.PresenceDoNotDisturb, CurrentPresence(org, OmnichannelSeed.ReadyAgent), "the second call is still active: " + label);

                End(org, OmnichannelSeed.ReadyAgent, second.CallId);
                org.RunPendingAsyncOperations();
                Assert.AreEqual(OmnichannelSeed.PresenceBusy, CurrentPresence(org, OmnichannelSeed.ReadyAgent), label);
                Assert.AreEqual(0, org.FailedAsyncOperations.Count, string.Join("; ", org.FailedAsyncOperations));
                AssertNoPluginWroteAgentStatus(org);
            }
        }

        [TestMethod]
        public void RedialAfterTheFirstEndedButBeforeItsRestoreRan_EveryOrder_ThePriorComesBack()
        {
            foreach (var order in Permutations(4))
            {
                var org = CreateOrganization(seed => seed.Agent(OmnichannelSeed.ReadyAgent).CurrentPresenceId = OmnichannelSeed.PresenceAway);
                var first = Start(org, OmnichannelSeed.ReadyAgent);
                org.RunPendingAsyncOperations();
                End(org, OmnichannelSeed.ReadyAgent, first.CallId);
                var second = Start(org, OmnichannelSeed.ReadyAgent);
                Assert.AreEqual(3, org.PendingAsyncOperationCount);
                End(org, OmnichannelSeed.ReadyAgent, second.CallId);

                org.ReorderPendingAsyncOperations(order);
                org.RunPendingAsyncOperations();

                Assert.AreEqual(OmnichannelSeed.PresenceAway, CurrentPresence(org, OmnichannelSeed.ReadyAgent), "order " + string.Join(",", order));
            }
        }

        [TestMethod]
        public void ConversationClosedByASupervisor_ThePriorPresenceComesBack()
        {
            var org = CreateOrganization(seed =>
            {
                seed.Agent(OmnichannelSeed.ReadyAgent).CurrentPresenceId = OmnichannelSeed.PresenceBusy;
                seed.Add(ConversationRow(FirstConversation));
                seed.Add(new Entity("systemuser", Supervisor) { ["fullname"] = "Sam Supervisor" });
            });
            var start = Start(org, OmnichannelSeed.ReadyAgent, conversationId: FirstConversation);
            org.RunPendingAsyncOperations();

            Close(org, Supervisor, FirstConversation);
            org.RunPendingAsyncOperations();

            Assert.AreEqual(1, OptionValue(Call(org, start.CallId), "statecode"));
            Assert.AreEqual(OmnichannelSeed.PresenceBusy, CurrentPresence(org, OmnichannelSeed.ReadyAgent));
            Assert.AreEqual(0, org.FailedAsyncOperations.Count, string.Join("; ", org.FailedAsyncOperations));
        }

        [TestMethod]
        public void OrgWithoutContactCenterPresence_RecordedOnTheCallNeverThrown()
        {
            var org = CreateOrganization();
            org.AddMessageHandler("CCaaS_ModifyAgentPresence", (request, info) => throw new System.ServiceModel.FaultException<OrganizationServiceFault>(
                new OrganizationServiceFault { ErrorCode = ErrorCodes.MessageNotFound, Message = "Request not supported: CCaaS_ModifyAgentPresence" }));

            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.RunPendingAsyncOperations();
            End(org, OmnichannelSeed.ReadyAgent, start.CallId);
            org.RunPendingAsyncOperations();

            Assert.AreEqual(0, org.FailedAsyncOperations.Count);
            StringAssert.Contains(Call(org, start.CallId).GetAttributeValue<string>("emc_warnings"),
                "Presence could not be set to Do not disturb through CCaaS_ModifyAgentPresence (Request not supported: CCaaS_ModifyAgentPresence); set it by hand.");
            Assert.AreEqual(1, OptionValue(Call(org, start.CallId), "statecode"), "End is unaffected");
        }

        private static void AssertNoPluginWroteAgentStatus(InMemoryOrganization org) =>
            Assert.IsFalse(org.RequestLog.Any(r => r.FromPlugin && r.EntityName == "msdyn_agentstatus" && r.MessageName != "RetrieveMultiple" && r.MessageName != "Retrieve"),
                "no code of the solution writes msdyn_agentstatus");

        /// <summary>The conversation closed by its agent (Omnichannel agent, from the seed) or by a supervisor (Omnichannel supervisor).</summary>
        private static void Close(InMemoryOrganization org, Guid closedBy, Guid conversation) =>
            (closedBy == Supervisor ? ActAs.Supervisor(org, Supervisor) : org.CreateOrganizationService(closedBy)).Update(new Entity("msdyn_ocliveworkitem", conversation)
            {
                ["statecode"] = new OptionSetValue(1),
                ["statuscode"] = new OptionSetValue(4),
            });

        private static Entity ConversationRow(Guid id) => new Entity("msdyn_ocliveworkitem", id)
        {
            ["subject"] = "Emergency call",
            ["msdyn_isoutbound"] = true,
            ["msdyn_channel"] = new OptionSetValueCollection { new OptionSetValue(192370000) },
            ["msdyn_activeagentid"] = new EntityReference("systemuser", OmnichannelSeed.ReadyAgent),
        };

        private static IEnumerable<int[]> Permutations(int count)
        {
            if (count == 1)
            {
                yield return new[] { 0 };
                yield break;
            }

            foreach (var rest in Permutations(count - 1))
            {
                for (var position = 0; position <= rest.Length; position++)
                {
                    var order = rest.ToList();
                    order.Insert(position, count - 1);
                    yield return order.ToArray();
                }
            }
        }
    }
}
