using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Tests
{
    [TestClass]
    public sealed class SecurityTests
    {
        private static readonly Guid AccountId = new Guid("acc00000-0000-4000-8000-000000000001");

        [TestMethod]
        public void TablePrivileges_NotEnforcedByDefault_UserCanWriteAnything()
        {
            var org = TestOrganization.Bare();

            org.CreateOrganizationService(TestOrganization.Alice).Create(new Entity("account", AccountId));

            Assert.IsNotNull(org.GetRecord("account", AccountId));
        }

        [TestMethod]
        public void TablePrivileges_EnforcedUserWithoutPrivilege_FaultsPrivilegeDenied()
        {
            var org = TestOrganization.Bare();
            org.EnforceTablePrivileges = true;

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.CreateOrganizationService(TestOrganization.Alice).Create(new Entity("account", AccountId)));

            Assert.AreEqual(ErrorCodes.PrivilegeDenied, fault.Detail.ErrorCode);
            StringAssert.Contains(fault.Detail.Message, "prvCreateaccount");
            Assert.IsNull(org.GetRecord("account", AccountId));
        }

        [TestMethod]
        public void TablePrivileges_EnforcedRoleFromSolutionGrantsRead_ReadAllowedWriteDenied()
        {
            var org = TestOrganization.WithSolution();
            org.EnforceTablePrivileges = true;
            org.Initialize(new Entity("account", AccountId) { ["name"] = "Contoso" });
            org.AssignRole(TestOrganization.Alice, "Test Guard Role");
            var service = org.CreateOrganizationService(TestOrganization.Alice);

            Assert.AreEqual("Contoso", service.Retrieve("account", AccountId, new ColumnSet("name")).GetAttributeValue<string>("name"));
            Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => service.Update(new Entity("account", AccountId) { ["name"] = "x" }));
        }

        [TestMethod]
        public void TablePrivileges_EnforcedQueryWithLink_NeedsReadOnLinkedTable()
        {
            var org = TestOrganization.Bare();
            org.EnforceTablePrivileges = true;
            org.GrantPrivilege(TestOrganization.Alice, "prvReadcontact");
            var query = new QueryExpression("contact");
            query.AddLink("account", "parentcustomerid", "accountid");

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => org.CreateOrganizationService(TestOrganization.Alice).RetrieveMultiple(query));
            org.GrantPrivilege(TestOrganization.Alice, "prvReadAccount");

            StringAssert.Contains(fault.Detail.Message, "prvReadaccount");
            Assert.AreEqual(0, org.CreateOrganizationService(TestOrganization.Alice).RetrieveMultiple(query).Entities.Count, "privilege names compare case-insensitively");
        }

        [TestMethod]
        [DataRow("systemuser", "prvReadUser")]
        [DataRow("email", "prvReadActivity")]
        [DataRow("phonecall", "prvReadActivity")]
        [DataRow("account", "prvReadaccount")]
        public void TablePrivileges_EnforcedRead_NeedsThePlatformsPrivilegeName(string table, string privilege)
        {
            var org = TestOrganization.Bare();
            org.EnforceTablePrivileges = true;
            var id = Guid.NewGuid();
            org.Initialize(new Entity(table, id));
            var service = org.CreateOrganizationService(TestOrganization.Alice);

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => service.Retrieve(table, id, new ColumnSet(true)));
            org.GrantPrivilege(TestOrganization.Alice, privilege);

            StringAssert.Contains(fault.Detail.Message, privilege);
            Assert.AreEqual(id, service.Retrieve(table, id, new ColumnSet(true)).Id);
        }

        [TestMethod]
        public void TablePrivileges_EnforcedSystem_AlwaysAllowed()
        {
            var org = TestOrganization.Bare();
            org.EnforceTablePrivileges = true;

            org.GetOrganizationService().Create(new Entity("account", AccountId));

            Assert.IsNotNull(org.GetRecord("account", AccountId));
        }
    }
}
