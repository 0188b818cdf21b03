using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse.Tests
{
    /// <summary>
    /// The privileges of InstantiateTemplate and SendEmail when checks are on, as "InstantiateTemplate message privileges"
    /// and "SendEmail message privileges" list them, with the record access the SDK reference of both requests asks
    /// for; and the record of who acted (ActingUsers) that a test suite holds itself to.
    /// </summary>
    [TestClass]
    public sealed class MessagePrivilegeTests
    {
        private static readonly Guid TemplateId = new Guid("7e0c1b5a-3d2f-4a8e-9b61-0c5f3e2d1e01");
        private static readonly Guid ContactId = new Guid("c0000000-0000-4000-8000-0000000000e1");

        private static InMemoryOrganization Organization(params string[] privileges)
        {
            var org = TestOrganization.WithSolution();
            org.Initialize(new Entity("contact", ContactId) { ["fullname"] = "Ann Adams" });
            org.DefineRole("writer", Guid.NewGuid(), privileges.ToDictionary(p => p, _ => PrivilegeDepth.Global));
            org.AssignRole(TestOrganization.Alice, "writer");
            org.EnforceTablePrivileges = true;
            return org;
        }

        private static OrganizationRequest Instantiate() =>
            new OrganizationRequest("InstantiateTemplate") { ["TemplateId"] = TemplateId, ["ObjectType"] = "contact", ["ObjectId"] = ContactId };

        [TestMethod]
        public void InstantiateTemplate_WithTemplateAndObjectRead_Renders()
        {
            var org = Organization("prvReadEmailTemplate", "prvReadcontact");

            var response = org.CreateOrganizationService(TestOrganization.Alice).Execute(Instantiate());

            Assert.AreEqual(1, ((EntityCollection)response["EntityCollection"]).Entities.Count);
        }

        [TestMethod]
        [DataRow("prvReadcontact", "prvReadEmailTemplate")]
        [DataRow("prvReadEmailTemplate", "prvReadcontact")]
        public void InstantiateTemplate_WithoutOneOfItsPrivileges_Refused(string held, string missing)
        {
            var org = Organization(held);

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.CreateOrganizationService(TestOrganization.Alice).Execute(Instantiate()));

            Assert.AreEqual(ErrorCodes.PrivilegeDenied, fault.Detail.ErrorCode);
            StringAssert.Contains(fault.Detail.Message, missing);
        }

        [TestMethod]
        public void SendEmail_NeedsActivityReadWriteAndUserRead_AndAccessToTheEmail()
        {
            var org = Organization("prvCreateActivity", "prvReadActivity", "prvWriteActivity");
            var alice = org.CreateOrganizationService(TestOrganization.Alice);
            var emailId = alice.Create(new Entity("email") { ["subject"] = "hello", ["description"] = "body" });
            var send = new OrganizationRequest("SendEmail") { ["EmailId"] = emailId, ["IssueSend"] = true, ["TrackingToken"] = string.Empty };

            var withoutUserRead = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => alice.Execute(send));
            StringAssert.Contains(withoutUserRead.Detail.Message, "prvReadUser");

            org.GrantPrivilege(TestOrganization.Alice, "prvReadUser");
            alice.Execute(send);

            org.DefineRole("reader", Guid.NewGuid(), new Dictionary<string, PrivilegeDepth>
            {
                ["prvReadActivity"] = PrivilegeDepth.Basic, ["prvWriteActivity"] = PrivilegeDepth.Basic, ["prvReadUser"] = PrivilegeDepth.Basic,
            });
            org.AssignRole(TestOrganization.Bob, "reader");
            var othersEmail = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.CreateOrganizationService(TestOrganization.Bob).Execute(send));
            Assert.AreEqual(ErrorCodes.AccessDenied, othersEmail.Detail.ErrorCode, "Bob may send only his own emails at user level");
        }

        /// <summary>
        /// PreValidation runs "before Dataverse even checks whether the calling user has permission" (Microsoft Learn,
        /// "Demonstrate the use of the different event execution pipeline stages"): a stage-10 refusal is what a caller
        /// without the privilege sees; without such a step the caller gets the privilege fault.
        /// </summary>
        [TestMethod]
        public void PrivilegeCheck_ComesAfterPreValidation()
        {
            var org = Organization("prvReadcontact");
            var alice = org.CreateOrganizationService(TestOrganization.Alice);
            var denied = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => alice.Create(new Entity("contact") { ["fullname"] = "Ben" }));
            Assert.AreEqual(ErrorCodes.PrivilegeDenied, denied.Detail.ErrorCode);

            org.RegisterStep(new StepRegistration { Name = "refuse", MessageName = "Create", PrimaryEntity = "contact", Stage = 10, PluginType = typeof(RefusingPlugin) });
            var refused = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => alice.Create(new Entity("contact") { ["fullname"] = "Ben" }));

            StringAssert.Contains(refused.Detail.Message, RefusingPlugin.Message);
        }

        public sealed class RefusingPlugin : IPlugin
        {
            public const string Message = "Refused in PreValidation.";

            public void Execute(IServiceProvider serviceProvider) => throw new InvalidPluginExecutionException(Message);
        }

        [TestMethod]
        public void ActingUsers_EveryUserButSystem_AndWhetherChecksWereOn()
        {
            var org = Organization("prvReadcontact");
            org.GetOrganizationService().Retrieve("contact", ContactId, new Microsoft.Xrm.Sdk.Query.ColumnSet(false));
            org.CreateOrganizationService(TestOrganization.Alice).Retrieve("contact", ContactId, new Microsoft.Xrm.Sdk.Query.ColumnSet(false));
            org.EnforceTablePrivileges = false;
            org.CreateOrganizationService(TestOrganization.Bob).Retrieve("contact", ContactId, new Microsoft.Xrm.Sdk.Query.ColumnSet(false));

            CollectionAssert.AreEquivalent(new[] { TestOrganization.Alice, TestOrganization.Bob }, org.ActingUsers.ToArray());
            CollectionAssert.AreEqual(new[] { TestOrganization.Bob }, org.UsersActedWithoutPrivilegeChecks.ToArray());
        }
    }
}
