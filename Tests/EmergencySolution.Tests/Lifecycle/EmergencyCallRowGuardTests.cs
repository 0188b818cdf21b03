using System.ServiceModel;
using EmergencySolution.Plugins;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Lifecycle
{
    /// <summary>
    /// emc_emergencycall rows are written only by the solution's own code paths. The agent role holds no Create or Write
    /// on the table (Start and End write as SYSTEM), so the platform refuses an agent's direct write; the administrator
    /// role holds both, and the row guard refuses an administrator's direct write before anything runs. The async
    /// follow-ups ignore a row that Start did not create.
    /// </summary>
    [TestClass]
    public sealed class EmergencyCallRowGuardTests : LifecycleTestBase
    {
        private const string RowGuardPluginType = "EmergencySolution.Plugins.EmergencyCallRowGuardPlugin";

        private static readonly Guid ForgedCall = new Guid("b6000000-0000-4000-8000-000000000001");

        [TestMethod]
        public void RowGuard_AgentCreatesACallForThemselves_RefusedAndNothingIsSentOrSwitched()
        {
            var org = CreateOrganization();

            // Refused twice over: by the guard (PreValidation) and by the role, which holds no Create on call rows.
            ForgedCreateFails(AsAgent(org, OmnichannelSeed.ReadyAgent), OmnichannelSeed.ReadyAgent);

            Assert.IsFalse(org.HasPrivilege(OmnichannelSeed.ReadyAgent, "prvCreateemc_EmergencyCall"));
            AssertNothingHappened(org, OmnichannelSeed.ReadyAgent);
        }

        [TestMethod]
        public void RowGuard_AdministratorCreatesACallNamingAnAgent_RefusedAndNothingIsSentOrSwitched()
        {
            var org = CreateOrganization();

            var message = ForgedCreateFails(ActAs.Administrator(org), OmnichannelSeed.ReadyAgent);

            StringAssert.Contains(message, "written directly by a user or an application");
            StringAssert.Contains(message, "emc_StartEmergencyCall");
            AssertNothingHappened(org, OmnichannelSeed.ReadyAgent);
        }

        [TestMethod]
        public void RowGuard_AgentCreatesACallNamingAnotherAgent_RefusedAndTheVictimIsUntouched()
        {
            var org = CreateOrganization();
            var victimPresence = CurrentPresence(org, OmnichannelSeed.InboundOnlyAgent);

            ForgedCreateFails(AsAgent(org, OmnichannelSeed.ReadyAgent), OmnichannelSeed.InboundOnlyAgent);

            AssertNothingHappened(org, OmnichannelSeed.InboundOnlyAgent);
            Assert.AreEqual(victimPresence, CurrentPresence(org, OmnichannelSeed.InboundOnlyAgent));
            Assert.AreNotEqual(OmnichannelSeed.PresenceDoNotDisturb, CurrentPresence(org, OmnichannelSeed.InboundOnlyAgent));
        }

        [TestMethod]
        [DataRow(false, DisplayName = "the agent (whose role holds no Write either)")]
        [DataRow(true, DisplayName = "an administrator (whose role holds Write)")]
        public void RowGuard_DirectUpdateOfAStartedCall_RefusedAndTheRowIsUnchanged(bool asAdministrator)
        {
            var org = CreateOrganization();
            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.RunPendingAsyncOperations();
            var before = Call(org, start.CallId);

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                (asAdministrator ? ActAs.Administrator(org) : AsAgent(org, OmnichannelSeed.ReadyAgent)).Update(new Entity("emc_emergencycall", start.CallId)
                {
                    ["emc_conversationid"] = new EntityReference("msdyn_ocliveworkitem", new Guid("b1000000-0000-4000-8000-0000000000f1")),
                    ["emc_notificationstatus"] = new OptionSetValue(Queued),
                }));

            if (asAdministrator)
            {
                StringAssert.Contains(fault.Detail.Message, "cannot be changed");
            }
            var after = Call(org, start.CallId);
            Assert.IsNull(after.GetAttributeValue<EntityReference>("emc_conversationid"));
            Assert.AreEqual(OptionValue(before, "emc_notificationstatus"), OptionValue(after, "emc_notificationstatus"));
            AssertConfidential(org);
        }

        [TestMethod]
        public void RowGuard_StartFollowUpsAndEnd_PassWithoutARoundTrip()
        {
            var org = CreateOrganization();

            var start = Start(org, OmnichannelSeed.ReadyAgent);
            Assert.AreEqual(2, org.RunPendingAsyncOperations());
            End(org, OmnichannelSeed.ReadyAgent, start.CallId);

            Assert.AreEqual(0, org.FailedAsyncOperations.Count, string.Join("; ", org.FailedAsyncOperations));
            Assert.AreEqual(Sent, OptionValue(Call(org, start.CallId), "emc_notificationstatus"));
            Assert.AreEqual(1, OptionValue(Call(org, start.CallId), "statecode"));
            Assert.AreEqual(0, org.CountRoundTrips(RowGuardPluginType));
            AssertConfidential(org);
        }

        [TestMethod]
        [DataRow(typeof(SendEmergencyNotificationPlugin))]
        [DataRow(typeof(ReconcileAgentPresencePlugin))]
        public void FollowUps_RowNotCreatedByStart_DoNothingAndCostNoRoundTrip(Type followUpPlugin)
        {
            // A row that got in before the guard existed (or past it): the async steps must not act on it.
            var org = CreateOrganization(seed => seed.Add(ForgedRow(OmnichannelSeed.ReadyAgent)));
            org.ClearRequestLog();
            var context = org.GetDefaultPluginContext();
            context.MessageName = "Create";
            context.PrimaryEntityName = "emc_emergencycall";
            context.PrimaryEntityId = ForgedCall;
            context.Mode = 1;
            context.Depth = 1;
            context.UserId = OmnichannelSeed.ReadyAgent;
            context.InitiatingUserId = OmnichannelSeed.ReadyAgent;
            context.PostEntityImages[SendEmergencyNotificationPlugin.PostImageName] = ForgedRow(OmnichannelSeed.ReadyAgent);

            org.ExecutePluginWith((IPlugin)Activator.CreateInstance(followUpPlugin)!, context);

            Assert.AreEqual(0, org.RequestLog.Count, string.Join("; ", org.RequestLog));
            Assert.AreEqual(0, org.GetRecords("email").Count);
            Assert.AreEqual(OmnichannelSeed.PresenceAvailable, CurrentPresence(org, OmnichannelSeed.ReadyAgent));
        }

        [TestMethod]
        [DataRow(1, null, false, DisplayName = "a client's request (depth 1) is refused")]
        [DataRow(2, null, true, DisplayName = "depth 2 without a parent context (not promised in PreValidation) passes")]
        [DataRow(2, "emc_StartEmergencyCall", true, DisplayName = "a write under Start passes")]
        [DataRow(3, "emc_EndEmergencyCall", true, DisplayName = "a write under End passes")]
        [DataRow(2, "emc_ReleaseExpiredCallbackLeases", true, DisplayName = "a write under the clean-up passes")]
        [DataRow(2, "Create:account", false, DisplayName = "a write under someone else's pipeline is refused")]
        [DataRow(2, "Create:emc_emergencycall", false, DisplayName = "a Create under another call's Create is refused")]
        [DataRow(2, "Create:msdyn_ocliveworkitem", false, DisplayName = "a Create under a conversation's Create is refused")]
        public void RowGuard_CreateInTheContextsThePlatformDocuments_DecidedFromDepthAndParentContext(int depth, string? parent, bool allowed)
        {
            var org = CreateOrganization();
            var context = GuardContext(org, "Create", depth, parent, ForgedRow(OmnichannelSeed.ReadyAgent));

            AssertGuard(org, context, allowed);
        }

        [TestMethod]
        [DataRow("Create:emc_emergencycall", "emc_notificationstatus", true, DisplayName = "a follow-up's update of its own call passes")]
        [DataRow("Create:msdyn_ocliveworkitem", "emc_conversationid", true, DisplayName = "the conversation link passes")]
        [DataRow("Create:msdyn_ocliveworkitem", "emc_warnings", true, DisplayName = "the conversation link's failure record passes")]
        [DataRow("Create:msdyn_ocliveworkitem", "emc_agentid", false, DisplayName = "any other column under a conversation's Create is refused")]
        [DataRow("Update:emc_emergencycall", "emc_notificationstatus", false, DisplayName = "a write under another call's update is refused")]
        public void RowGuard_UpdateUnderAPluginPipeline_OnlyTheSolutionsOwnWritesPass(string parent, string column, bool allowed)
        {
            var org = CreateOrganization();
            var change = new Entity("emc_emergencycall", ForgedCall) { [column] = null };

            AssertGuard(org, GuardContext(org, "Update", 2, parent, change), allowed);
        }

        private static PluginExecutionContext GuardContext(InMemoryOrganization org, string message, int depth, string? parent, Entity target)
        {
            var context = org.GetDefaultPluginContext();
            context.MessageName = message;
            context.Stage = 10;
            context.IsInTransaction = false;
            context.Depth = depth;
            context.UserId = OmnichannelSeed.ReadyAgent;
            context.InitiatingUserId = OmnichannelSeed.ReadyAgent;
            context.PrimaryEntityName = "emc_emergencycall";
            context.PrimaryEntityId = target.Id;
            context.InputParameters["Target"] = target;
            if (parent != null)
            {
                var parts = parent.Split(':');
                var parentContext = org.GetDefaultPluginContext();
                parentContext.MessageName = parts[0];
                parentContext.PrimaryEntityName = parts.Length > 1 ? parts[1] : "none";
                parentContext.Depth = depth - 1;
                context.ParentContext = parentContext;
            }

            return context;
        }

        private static void AssertGuard(InMemoryOrganization org, PluginExecutionContext context, bool allowed)
        {
            org.ClearRequestLog();
            if (allowed)
            {
                org.ExecutePluginWith<EmergencyCallRowGuardPlugin>(context);
            }
            else
            {
                var refused = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => org.ExecutePluginWith<EmergencyCallRowGuardPlugin>(context));
                StringAssert.Contains(refused.Detail.Message, "emergency call row cannot be");
            }

            Assert.AreEqual(0, org.RequestLog.Count, "0 round trips");
        }

        private static string ForgedCreateFails(IOrganizationService writer, Guid namedAgentId)
        {
            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(
                () => writer.Create(ForgedRow(namedAgentId)));
            return fault.Detail.Message;
        }

        private static void AssertNothingHappened(InMemoryOrganization org, Guid namedAgentId)
        {
            Assert.AreEqual(0, org.GetRecords("emc_emergencycall").Count, "no call row is stored");
            Assert.AreEqual(0, org.RunPendingAsyncOperations(), "no follow-up is queued");
            Assert.AreEqual(0, org.GetRecords("email").Count, "no email is sent");
            Assert.AreNotEqual(OmnichannelSeed.PresenceDoNotDisturb, CurrentPresence(org, namedAgentId));
            Assert.AreEqual(0, org.CountRoundTrips(RowGuardPluginType), "the guard decides from the context alone");
            AssertConfidential(org);
        }

        private static Entity ForgedRow(Guid agentId) => new Entity("emc_emergencycall", ForgedCall)
        {
            ["emc_name"] = "Emergency call",
            ["emc_agentid"] = new EntityReference("systemuser", agentId),
            ["emc_dialednumber"] = "911",
            ["emc_countrycode"] = "US",
            ["emc_startedon"] = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc),
            ["emc_notificationstatus"] = new OptionSetValue(Queued),
        };
    }
}
