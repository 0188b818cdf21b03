using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Tests.Privileges
{
    /// <summary>
    /// The census that holds every test to privilege checks can fail: a user acting with the checks off is caught.
    /// The organizations here are made by hand, so the census of this test itself does not see them.
    /// </summary>
    [TestClass]
    public sealed class PrivilegeCensusTests
    {
        private static readonly Guid UserId = new Guid("a4000000-0000-4000-8000-0000000000f1");

        private static InMemoryOrganization Organization(bool checks)
        {
            var org = new InMemoryOrganization();
            org.Initialize(new Entity("account", new Guid("a4000000-0000-4000-8000-0000000000f2")) { ["name"] = "Contoso" });
            org.GrantPrivilege(UserId, "prvReadaccount");
            org.EnforceTablePrivileges = checks;
            return org;
        }

        private static void ReadAsUser(InMemoryOrganization org) =>
            org.CreateOrganizationService(UserId).RetrieveMultiple(new QueryExpression("account") { ColumnSet = new ColumnSet("name") });

        [TestMethod]
        public void Judge_UserActedWithChecksOff_UncheckedAndNamed()
        {
            var off = Organization(checks: false);
            ReadAsUser(off);

            Assert.AreEqual(PrivilegeCensus.ActedAsUserUnchecked, PrivilegeCensus.Judge(new[] { Organization(checks: true), off }, out var users));
            CollectionAssert.AreEqual(new[] { UserId }, users.ToArray());
        }

        [TestMethod]
        public void Judge_UserActedWithChecksOn_Checked()
        {
            var on = Organization(checks: true);
            ReadAsUser(on);

            Assert.AreEqual(PrivilegeCensus.ActedAsUserChecked, PrivilegeCensus.Judge(new[] { on }, out var users));
            Assert.AreEqual(0, users.Count);
        }

        [TestMethod]
        public void Judge_OnlySystemActed_SystemOnly_EvenWithChecksOff()
        {
            var off = Organization(checks: false);
            off.GetOrganizationService().RetrieveMultiple(new QueryExpression("account") { ColumnSet = new ColumnSet("name") });

            Assert.AreEqual(PrivilegeCensus.SystemOnly, PrivilegeCensus.Judge(new[] { off }, out _));
            Assert.AreEqual(PrivilegeCensus.NoOrganization, PrivilegeCensus.Judge(Array.Empty<InMemoryOrganization>(), out _));
        }
    }
}
