using System.ServiceModel;
using EmergencySolution.Tests.Lifecycle;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Privileges
{
    /// <summary>
    /// What the shipped roles (SolutionPackage/src/Roles) refuse, with privilege checks on as Dataverse applies them:
    /// depth, ownership, each custom API's execute privilege. And, because an emergency call must never be blocked by
    /// a missing prerequisite, that a missing role or privilege never refuses a start.
    /// </summary>
    [TestClass]
    public sealed class ShippedRoleTests : LifecycleTestBase
    {
        [TestMethod]
        public void Agent_ReadsTheirOwnCallRow_NotAnotherAgentsAtUserDepth()
        {
            var org = CreateOrganization();
            var own = Start(org, OmnichannelSeed.ReadyAgent);
            var others = Start(org, OmnichannelSeed.DndAgent);
            var agent = AsAgent(org, OmnichannelSeed.ReadyAgent);

            Assert.AreEqual(own.CallId, agent.Retrieve("emc_emergencycall", own.CallId, new ColumnSet("emc_agentid")).Id);
            var refused = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                agent.Retrieve("emc_emergencycall", others.CallId, new ColumnSet("emc_agentid")));
            Assert.AreEqual(ErrorCodes.AccessDenied, refused.Detail.ErrorCode);
            var listed = agent.RetrieveMultiple(new QueryExpression("emc_emergencycall") { ColumnSet = new ColumnSet(false) }).Entities;
            CollectionAssert.AreEqual(new[] { own.CallId }, listed.Select(c => c.Id).ToArray(), "a list shows only the agent's own call");
            Assert.AreEqual(PrivilegeDepth.Basic, org.PrivilegeDepthOf(OmnichannelSeed.ReadyAgent, "prvReademc_EmergencyCall"));
        }

        [TestMethod]
        public void Administrator_ReadsEveryAgentsCallRow()
        {
            var org = CreateOrganization();
            var first = Start(org, OmnichannelSeed.ReadyAgent);
            var second = Start(org, OmnichannelSeed.DndAgent);

            var listed = AsAdmin(org).RetrieveMultiple(new QueryExpression("emc_emergencycall") { ColumnSet = new ColumnSet(false) }).Entities;

            CollectionAssert.AreEquivalent(new[] { first.CallId, second.CallId }, listed.Select(c => c.Id).ToArray());
        }

        [TestMethod]
        public void Agent_CannotReadThePoolNorAskWhoHoldsANumber()
        {
            var org = CreateOrganization();
            var start = Start(org, OmnichannelSeed.ReadyAgent);
            var agent = AsAgent(org, OmnichannelSeed.ReadyAgent);

            var pool = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                agent.RetrieveMultiple(new QueryExpression("emc_callbacknumber") { ColumnSet = new ColumnSet("emc_number") }));
            var resolve = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                agent.Execute(new OrganizationRequest("emc_ResolveEmergencyCallback") { ["CalledNumber"] = start.CallbackNumber }));

            Assert.AreEqual(ErrorCodes.PrivilegeDenied, pool.Detail.ErrorCode);
            Assert.AreEqual(ErrorCodes.PrivilegeDenied, resolve.Detail.ErrorCode);
        }

        [TestMethod]
        public void Router_ResolvesButCannotReadCallRowsNorWriteThePool()
        {
            var org = CreateOrganization();
            var start = Start(org, OmnichannelSeed.ReadyAgent);
            var router = AsRouter(org);

            Assert.AreEqual(start.CallId, (Guid)Resolve(org, start.CallbackNumber)["EmergencyCallId"]);
            var calls = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                router.RetrieveMultiple(new QueryExpression("emc_emergencycall") { ColumnSet = new ColumnSet(false) }));
            var write = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                router.Update(new Entity("emc_callbacknumber", OmnichannelSeed.CallbackUs2) { ["emc_leaseexpireson"] = null }));

            Assert.AreEqual(ErrorCodes.PrivilegeDenied, calls.Detail.ErrorCode);
            Assert.AreEqual(ErrorCodes.PrivilegeDenied, write.Detail.ErrorCode);
        }

        /// <summary>
        /// A missing role never blocks an emergency call: Start and End carry no execute privilege (their code decides
        /// who may act: a start is always the caller's own, an end only the call's agent's), and they write as SYSTEM.
        /// An agent without any Emergency Calling role still gets the call row (owned by them), the lease and Do not
        /// disturb; the email from their own mailbox needs the role's activity privileges and is recorded as failed without
        /// them. They also lose reading the row afterwards (the panel's resume after a reload).
        /// </summary>
        [TestMethod]
        public void AgentWithoutTheRole_StartAndEndGoOn()
        {
            var org = CreateOrganization();
            var agent = org.CreateOrganizationService(OmnichannelSeed.ReadyAgent);

            var start = new StartResult(agent.Execute(StartRequest()));
            org.RunPendingAsyncOperations();

            var call = Call(org, start.CallId);
            Assert.AreEqual(0, OptionValue(call, "statecode"), "the call is active");
            Assert.AreEqual(OmnichannelSeed.ReadyAgent, call.GetAttributeValue<EntityReference>("ownerid").Id);
            Assert.AreEqual("+12025550101", start.CallbackNumber);
            // The email goes out from the agent's own mailbox, so it needs the role's activity privileges: without them
            // it is recorded as failed, with the reason, and the call goes on.
            Assert.AreEqual(Failed, OptionValue(call, "emc_notificationstatus"));
            StringAssert.Contains(call.GetAttributeValue<string>("emc_notificationerror"), "prvCreateActivity");
            Assert.AreEqual(OmnichannelSeed.PresenceDoNotDisturb, CurrentPresence(org, OmnichannelSeed.ReadyAgent));
            Assert.AreEqual(0, org.FailedAsyncOperations.Count, string.Join("; ", org.FailedAsyncOperations));
            var unreadable = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                agent.Retrieve("emc_emergencycall", start.CallId, new ColumnSet(false)));
            Assert.AreEqual(ErrorCodes.PrivilegeDenied, unreadable.Detail.ErrorCode);

            agent.Execute(new OrganizationRequest("emc_EndEmergencyCall") { ["EmergencyCallId"] = start.CallId });

            Assert.AreEqual(1, OptionValue(Call(org, start.CallId), "statecode"), "the agent ended their own call");
        }

        /// <summary>
        /// The same on the server trigger: it starts the call as the conversation's agent, and that agent holds no
        /// Emergency Calling role; the call is recorded all the same, keyed by the conversation.
        /// </summary>
        [TestMethod]
        public void AgentWithoutTheRole_ServerTriggerRecordsTheCall()
        {
            var conversationId = new Guid("c3000000-0000-4000-8000-0000000000a1");
            var contextId = new Guid("c3000000-0000-4000-8000-0000000000a2");
            var org = CreateOrganization(seed => seed.Add(OutboundVoiceConversation(conversationId, OmnichannelSeed.ReadyAgent)));
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_CarrierPresentsPoolNumbers", "yes");

            ActAs.ContactCenterService(org).Create(new Entity("msdyn_ocphonecallengagementctx", contextId)
            {
                ["msdyn_liveworkitemid"] = new EntityReference("msdyn_ocliveworkitem", conversationId),
                ["msdyn_fromphone"] = "911",
                ["msdyn_tophone"] = "+12025550177",
            });
            org.RunPendingAsyncOperations();

            var call = org.GetRecords("emc_emergencycall").Single();
            Assert.AreEqual(OmnichannelSeed.ReadyAgent, call.GetAttributeValue<EntityReference>("emc_agentid").Id);
            Assert.AreEqual(conversationId, call.GetAttributeValue<EntityReference>("emc_conversationid")?.Id);
            Assert.AreEqual(0, org.FailedAsyncOperations.Count, string.Join("; ", org.FailedAsyncOperations));
        }

        /// <summary>
        /// On the server trigger's path the initiating user is whoever wrote the telephony context row (Contact Center's
        /// identity), not the agent, and Microsoft does not document which initiating user a child pipeline of in-code
        /// impersonation gets. So the notification step names the call's agent (emc_agentid) itself: the email is sent
        /// by the agent, from the agent's mailbox, on every path.
        /// </summary>
        [TestMethod]
        public void ServerTrigger_TheEmailIsSentByTheCallsAgent_NotByTheIdentityThatWroteTheContext()
        {
            var conversationId = new Guid("c3000000-0000-4000-8000-0000000000b1");
            var org = CreateOrganization(seed => seed.Add(OutboundVoiceConversation(conversationId, OmnichannelSeed.ReadyAgent)));
            org.AssignRole(OmnichannelSeed.ReadyAgent, "Emergency Calling Agent");

            ActAs.ContactCenterService(org).Create(new Entity("msdyn_ocphonecallengagementctx", new Guid("c3000000-0000-4000-8000-0000000000b2"))
            {
                ["msdyn_liveworkitemid"] = new EntityReference("msdyn_ocliveworkitem", conversationId),
                ["msdyn_fromphone"] = "911",
                ["msdyn_tophone"] = "+12025550177",
            });
            org.RunPendingAsyncOperations();

            var start = org.RequestLog.Single(r => r.MessageName == "emc_StartEmergencyCall");
            var send = org.RequestLog.Single(r => r.MessageName == "SendEmail");
            Assert.AreEqual(OmnichannelSeed.ReadyAgent, start.UserId, "Start runs as the agent");
            Assert.AreEqual(OmnichannelSeed.ReadyAgent, send.UserId, "the email is sent by the call's agent");
            Assert.AreEqual(OmnichannelSeed.ReadyAgent, org.RequestLog.Single(r => r.MessageName == "InstantiateTemplate").UserId);
            Assert.IsTrue(send.Succeeded);
        }

        [TestMethod]
        public void AgentWhoseRoleCannotReadTemplates_TheEmailGoesOutWithTheBuiltInText()
        {
            var org = CreateOrganization();
            var start = new StartResult(ActAs.AgentWhoseRoleLacks(org, OmnichannelSeed.ReadyAgent, "prvReadEmailTemplate").Execute(StartRequest()));
            org.RunPendingAsyncOperations();

            var call = Call(org, start.CallId);
            Assert.AreEqual(Sent, OptionValue(call, "emc_notificationstatus"));
            StringAssert.Contains(call.GetAttributeValue<string>("emc_notificationerror"), "Sent with the built-in text");
            StringAssert.Contains(call.GetAttributeValue<string>("emc_notificationerror"), "prvReadEmailTemplate");
            Assert.AreEqual(0, org.FailedAsyncOperations.Count);
        }

        [TestMethod]
        public void AgentWhoseRoleCannotCreateActivities_TheCallStartsAndTheFailedEmailIsRecorded()
        {
            var org = CreateOrganization();
            var start = new StartResult(ActAs.AgentWhoseRoleLacks(org, OmnichannelSeed.ReadyAgent, "prvCreateActivity").Execute(StartRequest()));
            org.RunPendingAsyncOperations();

            var call = Call(org, start.CallId);
            Assert.AreEqual(0, OptionValue(call, "statecode"), "the call is active");
            Assert.AreEqual("+12025550101", start.CallbackNumber);
            Assert.AreEqual(Failed, OptionValue(call, "emc_notificationstatus"));
            StringAssert.Contains(call.GetAttributeValue<string>("emc_notificationerror"), "prvCreateActivity");
            Assert.AreEqual(0, org.GetRecords("email").Count, "no draft is left");
        }

        [TestMethod]
        public void AgentWithoutTheOmnichannelAgentRole_CallStartsAndThePresenceProblemIsAWarning()
        {
            var org = CreateOrganization(seed => seed.Agent(OmnichannelSeed.ReadyAgent).HoldsOmnichannelAgentRole = false);

            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.RunPendingAsyncOperations();

            var call = Call(org, start.CallId);
            Assert.AreEqual(0, OptionValue(call, "statecode"));
            StringAssert.Contains(call.GetAttributeValue<string>("emc_warnings"), "CCaaS_ModifyAgentPresence");
            Assert.AreEqual(OmnichannelSeed.PresenceAvailable, CurrentPresence(org, OmnichannelSeed.ReadyAgent), "presence unchanged");
            Assert.AreEqual(0, org.FailedAsyncOperations.Count);
        }
    }
}
