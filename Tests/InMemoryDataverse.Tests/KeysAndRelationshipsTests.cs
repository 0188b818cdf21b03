using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Tests
{
    [TestClass]
    public sealed class KeysAndRelationshipsTests
    {
        private static readonly Guid NumberId = new Guid("ca11bac0-0000-4000-8000-000000000001");
        private static readonly Guid RoleId = new Guid("0e1e0000-0000-4000-8000-000000000001");

        private static InMemoryOrganization WithCallbackNumbers()
        {
            // The shipped alternate key, read from SolutionPackage/src/Entities/emc_CallbackNumber/Entity.xml.
            var org = TestOrganization.Bare();
            org.LoadTables(TestOrganization.ShippedSolutionFolder);
            org.Initialize(new Entity("emc_callbacknumber", NumberId) { ["emc_number"] = "+15550100", ["emc_countrycode"] = "US" });
            return org;
        }

        [TestMethod]
        public void Retrieve_ByAlternateKey_FindsRow()
        {
            var org = WithCallbackNumbers();

            var response = (RetrieveResponse)org.GetOrganizationService().Execute(new RetrieveRequest
            {
                Target = new EntityReference("emc_callbacknumber", "emc_number", "+15550100"),
                ColumnSet = new ColumnSet("emc_countrycode"),
            });

            Assert.AreEqual(NumberId, response.Entity.Id);
            Assert.AreEqual("US", response.Entity.GetAttributeValue<string>("emc_countrycode"));
        }

        [TestMethod]
        public void Update_ByAlternateKey_UpdatesRow()
        {
            var org = WithCallbackNumbers();
            var target = new Entity("emc_callbacknumber", "emc_number", "+15550100") { ["emc_countrycode"] = "PR" };

            org.GetOrganizationService().Update(target);

            Assert.AreEqual("PR", org.GetRecord("emc_callbacknumber", NumberId)!.GetAttributeValue<string>("emc_countrycode"));
        }

        [TestMethod]
        public void Update_ByUnknownAlternateKeyValue_FaultsDoesNotExist()
        {
            var org = WithCallbackNumbers();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Update(new Entity("emc_callbacknumber", "emc_number", "+19990000") { ["emc_countrycode"] = "PR" }));

            Assert.AreEqual(ErrorCodes.ObjectDoesNotExist, fault.Detail.ErrorCode);
        }

        [TestMethod]
        public void Upsert_ByAlternateKey_UpdatesExistingThenCreatesNew()
        {
            var org = WithCallbackNumbers();
            var service = org.GetOrganizationService();

            var updated = (UpsertResponse)service.Execute(new UpsertRequest { Target = new Entity("emc_callbacknumber", "emc_number", "+15550100") { ["emc_countrycode"] = "CA" } });
            var created = (UpsertResponse)service.Execute(new UpsertRequest { Target = new Entity("emc_callbacknumber", "emc_number", "+15550199") { ["emc_countrycode"] = "GB" } });

            Assert.IsFalse(updated.RecordCreated);
            Assert.AreEqual(NumberId, updated.Target.Id);
            Assert.IsTrue(created.RecordCreated);
            Assert.AreEqual("+15550199", org.GetRecord("emc_callbacknumber", created.Target.Id)!.GetAttributeValue<string>("emc_number"));
        }

        [TestMethod]
        public void Delete_ByAlternateKey_RemovesRowAndFreesKey()
        {
            var org = WithCallbackNumbers();
            var service = org.GetOrganizationService();

            service.Execute(new DeleteRequest { Target = new EntityReference("emc_callbacknumber", "emc_number", "+15550100") });
            service.Create(new Entity("emc_callbacknumber") { ["emc_number"] = "+15550100" });

            Assert.IsNull(org.GetRecord("emc_callbacknumber", NumberId));
            Assert.AreEqual(1, org.GetRecords("emc_callbacknumber").Count);
        }

        [TestMethod]
        public void Update_ChangingKeyToTakenValue_FaultsDuplicate()
        {
            var org = WithCallbackNumbers();
            var service = org.GetOrganizationService();
            var other = service.Create(new Entity("emc_callbacknumber") { ["emc_number"] = "+15550101" });

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                service.Update(new Entity("emc_callbacknumber", other) { ["emc_number"] = "+15550100" }));

            Assert.AreEqual(ErrorCodes.DuplicateRecord, fault.Detail.ErrorCode);
        }

        [TestMethod]
        public void Create_DuplicateAlternateKey_FaultsDuplicateCaseInsensitively()
        {
            var org = TestOrganization.Bare();
            org.DeclareAlternateKey("account", "account_code", "accountnumber");
            var service = org.GetOrganizationService();
            service.Create(new Entity("account") { ["accountnumber"] = "abc" });

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => service.Create(new Entity("account") { ["accountnumber"] = "ABC" }));

            Assert.AreEqual(ErrorCodes.DuplicateRecord, fault.Detail.ErrorCode);
        }

        [TestMethod]
        public void RetrieveMultiple_AlternateKeyEquality_FindsRowThroughIndex()
        {
            var org = WithCallbackNumbers();
            var query = new QueryExpression("emc_callbacknumber") { ColumnSet = new ColumnSet("emc_number") };
            query.Criteria.AddCondition("emc_number", ConditionOperator.Equal, "+15550100");

            Assert.AreEqual(NumberId, org.GetOrganizationService().RetrieveMultiple(query).Entities.Single().Id);
        }

        [TestMethod]
        public void Update_StaleRowVersionWithIfRowVersionMatches_FaultsAndKeepsRow()
        {
            var org = WithCallbackNumbers();
            var service = org.GetOrganizationService();
            var read = service.Retrieve("emc_callbacknumber", NumberId, new ColumnSet("emc_number"));
            service.Update(new Entity("emc_callbacknumber", NumberId) { ["emc_countrycode"] = "CA" });
            var stale = new Entity("emc_callbacknumber", NumberId) { ["emc_countrycode"] = "GB", RowVersion = read.RowVersion };

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                service.Execute(new UpdateRequest { Target = stale, ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches }));

            Assert.AreEqual(ErrorCodes.ConcurrencyVersionMismatch, fault.Detail.ErrorCode);
            Assert.AreEqual("CA", org.GetRecord("emc_callbacknumber", NumberId)!.GetAttributeValue<string>("emc_countrycode"));
        }

        [TestMethod]
        public void Update_CurrentRowVersionWithIfRowVersionMatches_Succeeds()
        {
            var org = WithCallbackNumbers();
            var service = org.GetOrganizationService();
            var read = service.Retrieve("emc_callbacknumber", NumberId, new ColumnSet("emc_number"));

            service.Execute(new UpdateRequest
            {
                Target = new Entity("emc_callbacknumber", NumberId) { ["emc_countrycode"] = "GB", RowVersion = read.RowVersion },
                ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches,
            });

            Assert.AreEqual("GB", org.GetRecord("emc_callbacknumber", NumberId)!.GetAttributeValue<string>("emc_countrycode"));
        }

        [TestMethod]
        public void AssociateDisassociate_ManyToMany_QueryableThroughIntersectTable()
        {
            var org = TestOrganization.Bare();
            org.Initialize(new Entity("systemuser", TestOrganization.Alice) { ["fullname"] = "Alice" }, new Entity("role", RoleId) { ["name"] = "Agent" });
            var service = org.GetOrganizationService();
            var relationship = new Relationship("systemuserroles_association");

            service.Associate("systemuser", TestOrganization.Alice, relationship, new EntityReferenceCollection { new EntityReference("role", RoleId) });
            var query = new QueryExpression("role") { ColumnSet = new ColumnSet("name") };
            var link = query.AddLink("systemuserroles", "roleid", "roleid");
            link.LinkCriteria.AddCondition("systemuserid", ConditionOperator.Equal, TestOrganization.Alice);
            var afterAssociate = service.RetrieveMultiple(query).Entities.Count;
            service.Disassociate("systemuser", TestOrganization.Alice, relationship, new EntityReferenceCollection { new EntityReference("role", RoleId) });

            Assert.AreEqual(1, afterAssociate);
            Assert.AreEqual(0, service.RetrieveMultiple(query).Entities.Count);
        }

        [TestMethod]
        public void Associate_DeclaredRelationshipFromOtherSide_StoresSameIntersectRow()
        {
            var org = TestOrganization.Bare();
            org.DeclareManyToMany("emc_team_member", "emc_team_member", "team", "teamid", "systemuser", "systemuserid");
            var teamId = new Guid("7ea00000-0000-4000-8000-000000000001");
            org.Initialize(new Entity("team", teamId), new Entity("systemuser", TestOrganization.Alice));

            org.GetOrganizationService().Associate("systemuser", TestOrganization.Alice, new Relationship("emc_team_member"), new EntityReferenceCollection { new EntityReference("team", teamId) });

            var row = org.GetRecords("emc_team_member").Single();
            Assert.AreEqual(teamId, row.GetAttributeValue<Guid>("teamid"));
            Assert.AreEqual(TestOrganization.Alice, row.GetAttributeValue<Guid>("systemuserid"));
        }

        [TestMethod]
        public void Associate_Twice_FaultsDuplicate()
        {
            var org = TestOrganization.Bare();
            org.Initialize(new Entity("systemuser", TestOrganization.Alice), new Entity("role", RoleId));
            var service = org.GetOrganizationService();
            var related = new EntityReferenceCollection { new EntityReference("role", RoleId) };
            service.Associate("systemuser", TestOrganization.Alice, new Relationship("systemuserroles_association"), related);

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                service.Associate("systemuser", TestOrganization.Alice, new Relationship("systemuserroles_association"), related));

            Assert.AreEqual(ErrorCodes.DuplicateRecord, fault.Detail.ErrorCode);
        }
    }
}
