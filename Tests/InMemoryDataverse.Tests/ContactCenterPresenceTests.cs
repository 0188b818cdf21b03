using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse.Tests
{
    /// <summary>The model of CCaaS_ModifyAgentPresence and CCaaS_GetPresence (parameters, answers, documented failures).</summary>
    [TestClass]
    public sealed class ContactCenterPresenceTests
    {
        private static readonly Guid Available = new Guid("f523f628-c07a-e811-8162-000d3aa11f50");
        private static readonly Guid BusyDnd = new Guid("08971864-c07a-e811-8162-000d3aa11f50");
        private static readonly Guid AliceStatus = new Guid("a11ce000-0000-4000-8000-0000000000a5");

        [TestMethod]
        public void ModifyAgentPresence_AsTheAgent_MovesTheMirrorRowAsTheService()
        {
            var org = ContactCenterOrg();

            org.CreateOrganizationService(TestOrganization.Alice).Execute(Modify(TestOrganization.Alice, BusyDnd));

            Assert.AreEqual(BusyDnd, org.CurrentPresenceOf(TestOrganization.Alice));
            var write = org.RequestLog.Single(r => r.MessageName == "Update" && r.EntityName == "msdyn_agentstatus");
            Assert.IsFalse(write.FromPlugin, "the presence service writes its mirror, not the caller's code");
            Assert.AreEqual(org.SystemUserId, write.UserId);
        }

        [TestMethod]
        public void GetPresence_AsTheAgent_AnswersTheDocumentedKeys()
        {
            var org = ContactCenterOrg();

            var response = org.CreateOrganizationService(TestOrganization.Alice).Execute(new OrganizationRequest(InMemoryOrganization.GetPresenceMessage));

            Assert.AreEqual(Available, response["PresenceId"]);
            Assert.AreEqual(TestOrganization.Alice, response["AgentId"]);
            Assert.AreEqual("Alice Agent", response["AgentName"]);
            Assert.AreEqual("Available", response["CurrentPresenceStatusInfo"]);
            Assert.AreEqual(1, response["ActiveBrowserSessions"]);
            Assert.IsInstanceOfType(response["Timestamp"], typeof(int));
            CollectionAssert.AreEqual(Array.Empty<string>(), (string[])response["AllowedChannels"]);
            CollectionAssert.AreEqual(Array.Empty<string>(), (string[])response["DisabledChannels"]);
        }

        [TestMethod]
        public void ModifyAgentPresence_WrongApiVersionOrIds_Fails400AndChangesNothing()
        {
            var org = ContactCenterOrg();
            var alice = org.CreateOrganizationService(TestOrganization.Alice);
            var wrongVersion = Modify(TestOrganization.Alice, BusyDnd);
            wrongVersion["ApiVersion"] = "2.0";
            var notAGuid = Modify(TestOrganization.Alice, BusyDnd);
            notAGuid["PresenceId"] = "busy";
            var missingAgent = new OrganizationRequest(InMemoryOrganization.ModifyAgentPresenceMessage) { ["ApiVersion"] = "1.0", ["PresenceId"] = BusyDnd.ToString() };

            foreach (var request in new[] { wrongVersion, notAGuid, missingAgent })
            {
                var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => alice.Execute(request));
                StringAssert.StartsWith(fault.Detail.Message, "CCaaS_ModifyAgentPresence: 400 ");
            }

            Assert.AreEqual(Available, org.CurrentPresenceOf(TestOrganization.Alice));
        }

        [TestMethod]
        public void ModifyAgentPresence_CallerWithoutOmnichannelRole_Fails401()
        {
            var org = ContactCenterOrg();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.CreateOrganizationService(TestOrganization.Bob).Execute(Modify(TestOrganization.Alice, BusyDnd)));

            StringAssert.StartsWith(fault.Detail.Message, "CCaaS_ModifyAgentPresence: 401 ");
            Assert.AreEqual(Available, org.CurrentPresenceOf(TestOrganization.Alice));
        }

        [TestMethod]
        public void ModifyAgentPresence_UnknownPresenceOrNoAgentStatus_Fails404()
        {
            var org = ContactCenterOrg();
            org.AssignRole(TestOrganization.Bob, "Omnichannel agent");

            var unknownPresence = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.CreateOrganizationService(TestOrganization.Alice).Execute(Modify(TestOrganization.Alice, Guid.NewGuid())));
            var neverSignedIn = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.CreateOrganizationService(TestOrganization.Bob).Execute(Modify(TestOrganization.Bob, BusyDnd)));

            StringAssert.StartsWith(unknownPresence.Detail.Message, "CCaaS_ModifyAgentPresence: 404 ");
            StringAssert.StartsWith(neverSignedIn.Detail.Message, "CCaaS_ModifyAgentPresence: 404 ");
        }

        [TestMethod]
        public void ModifyAgentPresence_InjectedRateLimit_FailsWithTheDocumentedStatus()
        {
            var org = ContactCenterOrg();
            org.FailContactCenterPresence(InMemoryOrganization.ModifyAgentPresenceMessage, 429);

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.CreateOrganizationService(TestOrganization.Alice).Execute(Modify(TestOrganization.Alice, BusyDnd)));

            StringAssert.StartsWith(fault.Detail.Message, "CCaaS_ModifyAgentPresence: 429 Rate limit");
            Assert.AreEqual(ErrorCodes.IsvAborted, fault.Detail.ErrorCode);
        }

        [TestMethod]
        public void PresenceMessages_OrgWithoutContactCenter_AreUnknown()
        {
            var org = TestOrganization.Bare();

            Assert.ThrowsExactly<NotSupportedException>(() =>
                org.GetOrganizationService().Execute(Modify(TestOrganization.Alice, BusyDnd)));
        }

        private static OrganizationRequest Modify(Guid agentId, Guid presenceId) =>
            new OrganizationRequest(InMemoryOrganization.ModifyAgentPresenceMessage)
            {
                ["ApiVersion"] = "1.0",
                ["AgentId"] = agentId.ToString(),
                ["PresenceId"] = presenceId.ToString(),
            };

        private static InMemoryOrganization ContactCenterOrg()
        {
            var org = TestOrganization.Bare();
            org.EnableContactCenterPresence();
            org.Initialize(
                new Entity("msdyn_presence", Available) { ["msdyn_name"] = "Available", ["msdyn_presencestatustext"] = "Available", ["msdyn_basepresencestatus"] = new OptionSetValue(192360000) },
                new Entity("msdyn_presence", BusyDnd) { ["msdyn_name"] = "Do not disturb", ["msdyn_presencestatustext"] = "Do not disturb", ["msdyn_basepresencestatus"] = new OptionSetValue(192360002) },
                new Entity("systemuser", TestOrganization.Alice) { ["fullname"] = "Alice Agent" },
                new Entity("systemuser", TestOrganization.Bob) { ["fullname"] = "Bob Bystander" },
                new Entity("msdyn_agentstatus", AliceStatus)
                {
                    ["msdyn_agentid"] = new EntityReference("systemuser", TestOrganization.Alice),
                    ["msdyn_currentpresenceid"] = new EntityReference("msdyn_presence", Available),
                    ["msdyn_isagentloggedin"] = true,
                });
            org.AssignRole(TestOrganization.Alice, "Omnichannel agent");
            org.ClearRequestLog();
            return org;
        }
    }
}
