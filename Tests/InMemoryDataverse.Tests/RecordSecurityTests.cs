using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Tests
{
    /// <summary>
    /// Privilege depth, ownership and business units when privilege checks are on, as "Security concepts in Microsoft
    /// Dataverse" (learn.microsoft.com/power-platform/admin/wp-security-cds) describes them: user (Basic), business unit
    /// (Local), parent: child business units (Deep), organization (Global); rows owned by a user or a team. A failed
    /// record check is -2147187962 ("Troubleshoot Dataverse client errors"); a query leaves unreadable rows out.
    /// </summary>
    [TestClass]
    public sealed class RecordSecurityTests
    {
        private static readonly Guid RootUnit = new Guid("5d8b1b0e-0000-4000-8000-00000000b001");
        private static readonly Guid Sales = new Guid("b0000000-0000-4000-8000-0000000000a1");
        private static readonly Guid SalesWest = new Guid("b0000000-0000-4000-8000-0000000000a2");
        private static readonly Guid Support = new Guid("b0000000-0000-4000-8000-0000000000a3");
        private static readonly Guid Ann = new Guid("a0000000-0000-4000-8000-000000000001");
        private static readonly Guid Ben = new Guid("a0000000-0000-4000-8000-000000000002");
        private static readonly Guid Cat = new Guid("a0000000-0000-4000-8000-000000000003");
        private static readonly Guid Dan = new Guid("a0000000-0000-4000-8000-000000000004");
        private static readonly Guid Team = new Guid("7e000000-0000-4000-8000-000000000001");

        /// <summary>Root > Sales > Sales West; Root > Support. Ann and Ben in Sales, Cat in Sales West, Dan in Support; one account each, one owned by Ann's team.</summary>
        private static InMemoryOrganization Organization(PrivilegeDepth readDepth, PrivilegeDepth writeDepth = PrivilegeDepth.Basic)
        {
            var org = TestOrganization.Bare();
            org.Initialize(
                new Entity("businessunit", Sales) { ["parentbusinessunitid"] = new EntityReference("businessunit", RootUnit) },
                new Entity("businessunit", SalesWest) { ["parentbusinessunitid"] = new EntityReference("businessunit", Sales) },
                new Entity("businessunit", Support) { ["parentbusinessunitid"] = new EntityReference("businessunit", RootUnit) },
                User(Ann, Sales), User(Ben, Sales), User(Cat, SalesWest), User(Dan, Support),
                new Entity("team", Team) { ["businessunitid"] = new EntityReference("businessunit", Support) },
                new Entity("teammembership") { ["systemuserid"] = Ann, ["teamid"] = Team });
            foreach (var (owner, name) in new[] { (Ann, "ann"), (Ben, "ben"), (Cat, "cat"), (Dan, "dan") })
            {
                org.Initialize(new Entity("account") { ["name"] = name, ["ownerid"] = new EntityReference("systemuser", owner) });
            }

            org.Initialize(new Entity("account") { ["name"] = "team", ["ownerid"] = new EntityReference("team", Team) });
            org.DefineRole("seller", Guid.NewGuid(), new Dictionary<string, PrivilegeDepth>
            {
                ["prvReadaccount"] = readDepth,
                ["prvWriteaccount"] = writeDepth,
                ["prvDeleteaccount"] = PrivilegeDepth.Basic,
                ["prvAppendcontact"] = PrivilegeDepth.Basic,
                ["prvAppendToaccount"] = PrivilegeDepth.Basic,
                ["prvCreatecontact"] = PrivilegeDepth.Basic,
            });
            foreach (var user in new[] { Ann, Ben, Cat, Dan })
            {
                org.AssignRole(user, "seller");
            }

            org.EnforceTablePrivileges = true;
            return org;
        }

        private static Entity User(Guid id, Guid unit) => new Entity("systemuser", id) { ["businessunitid"] = new EntityReference("businessunit", unit) };

        private static string[] ReadableBy(InMemoryOrganization org, Guid user)
        {
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.AddOrder("name", OrderType.Ascending);
            return org.CreateOrganizationService(user).RetrieveMultiple(query).Entities.Select(e => e.GetAttributeValue<string>("name")).ToArray();
        }

        private static Guid AccountOf(InMemoryOrganization org, string name) =>
            org.GetRecords("account").Single(a => a.GetAttributeValue<string>("name") == name).Id;

        [TestMethod]
        [DataRow(PrivilegeDepth.Basic, "ann|team")]
        [DataRow(PrivilegeDepth.Local, "ann|ben|team")]
        [DataRow(PrivilegeDepth.Deep, "ann|ben|cat|team")]
        [DataRow(PrivilegeDepth.Global, "ann|ben|cat|dan|team")]
        public void RetrieveMultiple_ReturnsOnlyTheRowsTheReadDepthReaches(PrivilegeDepth depth, string expected)
        {
            var org = Organization(depth);

            CollectionAssert.AreEqual(expected.Split('|'), ReadableBy(org, Ann));
        }

        [TestMethod]
        public void DeepRead_FromAChildUnit_DoesNotReachItsParent()
        {
            var org = Organization(PrivilegeDepth.Deep);

            CollectionAssert.AreEqual(new[] { "cat" }, ReadableBy(org, Cat));
        }

        [TestMethod]
        public void Retrieve_OfARowBeyondTheDepth_FaultsWithTheAccessCheckCode()
        {
            var org = Organization(PrivilegeDepth.Basic);

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.CreateOrganizationService(Ann).Retrieve("account", AccountOf(org, "ben"), new ColumnSet("name")));

            Assert.AreEqual(-2147187962, fault.Detail.ErrorCode);
            StringAssert.Contains(fault.Detail.Message, "ReadAccess");
            Assert.AreEqual("team", org.CreateOrganizationService(Ann).Retrieve("account", AccountOf(org, "team"), new ColumnSet("name")).GetAttributeValue<string>("name"),
                "a row owned by the user's team is the user's own at Basic depth");
        }

        [TestMethod]
        public void UpdateAndDelete_OfAnotherUsersRow_AtBasicDepth_AreRefused()
        {
            var org = Organization(PrivilegeDepth.Global, writeDepth: PrivilegeDepth.Basic);
            var ann = org.CreateOrganizationService(Ann);

            var write = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => ann.Update(new Entity("account", AccountOf(org, "ben")) { ["name"] = "x" }));
            var delete = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => ann.Delete("account", AccountOf(org, "ben")));
            ann.Update(new Entity("account", AccountOf(org, "ann")) { ["name"] = "ann2" });

            Assert.AreEqual(ErrorCodes.AccessDenied, write.Detail.ErrorCode);
            Assert.AreEqual(ErrorCodes.AccessDenied, delete.Detail.ErrorCode);
            Assert.AreEqual(1, org.GetRecords("account").Count(a => a.GetAttributeValue<string>("name") == "ann2"));
        }

        [TestMethod]
        public void Lookup_ToARowBeyondTheAppendToDepth_IsRefused()
        {
            var org = Organization(PrivilegeDepth.Global);
            var ann = org.CreateOrganizationService(Ann);

            ann.Create(new Entity("contact") { ["parentcustomerid"] = new EntityReference("account", AccountOf(org, "ann")) });
            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                ann.Create(new Entity("contact") { ["parentcustomerid"] = new EntityReference("account", AccountOf(org, "ben")) }));

            StringAssert.Contains(fault.Detail.Message, "AppendToAccess");
        }

        [TestMethod]
        public void PrivilegeChecksOff_EveryoneReadsEverything()
        {
            var org = Organization(PrivilegeDepth.Basic);
            org.EnforceTablePrivileges = false;

            Assert.AreEqual(5, ReadableBy(org, Dan).Length);
        }

        /// <summary>The shipped roles, with their real privilege names and depths: an agent reads only their own calls, the administrator all.</summary>
        [TestMethod]
        public void ShippedRoles_AgentReadsOwnCallsOnly_AdministratorReadsAll()
        {
            var org = TestOrganization.Bare();
            org.LoadRoles(TestOrganization.ShippedSolutionFolder);
            org.Initialize(User(Ann, RootUnit), User(Ben, RootUnit), User(Dan, RootUnit));
            org.AssignRole(Ann, "Emergency Calling Agent");
            org.AssignRole(Ben, "Emergency Calling Agent");
            org.AssignRole(Dan, "Emergency Calling Administrator");
            // Call rows are written as SYSTEM and owned by the agent (the agent role has no Create on them since 2b82f92).
            org.Initialize(
                new Entity("emc_emergencycall") { ["emc_name"] = "ann's call", ["ownerid"] = new EntityReference("systemuser", Ann) },
                new Entity("emc_emergencycall") { ["emc_name"] = "ben's call", ["ownerid"] = new EntityReference("systemuser", Ben) });
            org.EnforceTablePrivileges = true;

            var all = new QueryExpression("emc_emergencycall") { ColumnSet = new ColumnSet("emc_name") };
            Assert.AreEqual("ann's call", org.CreateOrganizationService(Ann).RetrieveMultiple(all).Entities.Single().GetAttributeValue<string>("emc_name"));
            Assert.AreEqual(2, org.CreateOrganizationService(Dan).RetrieveMultiple(all).Entities.Count);
            Assert.AreEqual(PrivilegeDepth.Basic, org.PrivilegeDepthOf(Ann, "prvReademc_EmergencyCall"));
            Assert.AreEqual(PrivilegeDepth.Global, org.PrivilegeDepthOf(Ann, "prvReadEmailTemplate"));
        }
    }
}
