using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Tests
{
    [TestClass]
    public sealed class CrudTests
    {
        private static readonly Guid AccountId = new Guid("acc00000-0000-4000-8000-000000000001");

        [TestMethod]
        public void Create_EntityChangedAfterCall_StoredRowUnaffected()
        {
            var org = TestOrganization.Bare();
            var account = new Entity("account", AccountId) { ["name"] = "Contoso" };
            org.GetOrganizationService().Create(account);
            account["name"] = "changed outside";

            Assert.AreEqual("Contoso", org.GetRecord("account", AccountId)!.GetAttributeValue<string>("name"));
        }

        [TestMethod]
        public void Retrieve_ResultChanged_StoredRowUnaffected()
        {
            var org = TestOrganization.Bare();
            org.Initialize(new Entity("account", AccountId) { ["name"] = "Contoso" });
            var service = org.GetOrganizationService();

            service.Retrieve("account", AccountId, new ColumnSet(true))["name"] = "changed outside";

            Assert.AreEqual("Contoso", service.Retrieve("account", AccountId, new ColumnSet("name")).GetAttributeValue<string>("name"));
        }

        [TestMethod]
        public void Create_NoId_GeneratesIdAndSetsPrimaryKeyAttribute()
        {
            var org = TestOrganization.Bare();
            var id = org.GetOrganizationService().Create(new Entity("account") { ["name"] = "Contoso" });

            var stored = org.GetRecord("account", id)!;
            Assert.AreNotEqual(Guid.Empty, id);
            Assert.AreEqual(id, stored.GetAttributeValue<Guid>("accountid"));
        }

        [TestMethod]
        public void Create_ActivityTable_PrimaryKeyIsActivityId()
        {
            var org = TestOrganization.Bare();
            var service = org.GetOrganizationService();
            var phonecall = service.Create(new Entity("phonecall") { ["subject"] = "call" });
            var conversation = service.Create(new Entity("msdyn_ocliveworkitem") { ["subject"] = "conversation" });
            var transcript = service.Create(new Entity("msdyn_transcript") { ["msdyn_name"] = "not an activity" });

            Assert.AreEqual(phonecall, service.Retrieve("phonecall", phonecall, new ColumnSet("subject")).GetAttributeValue<Guid>("activityid"));
            Assert.AreEqual(conversation, service.Retrieve("msdyn_ocliveworkitem", conversation, new ColumnSet()).GetAttributeValue<Guid>("activityid"));
            Assert.AreEqual(transcript, service.Retrieve("msdyn_transcript", transcript, new ColumnSet()).GetAttributeValue<Guid>("msdyn_transcriptid"));
        }

        [TestMethod]
        public void DeclareActivityTable_CustomActivity_PrimaryKeyIsActivityId()
        {
            var org = TestOrganization.Bare();
            org.DeclareActivityTable("emc_customactivity");

            var id = org.GetOrganizationService().Create(new Entity("emc_customactivity"));

            Assert.AreEqual(id, org.GetRecord("emc_customactivity", id)!.GetAttributeValue<Guid>("activityid"));
        }

        [TestMethod]
        public void Create_AsUser_AuditColumnsOwnerAndStateComeFromCaller()
        {
            var org = TestOrganization.Bare();
            org.UtcNow = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

            var id = org.CreateOrganizationService(TestOrganization.Alice).Create(new Entity("account") { ["name"] = "Contoso" });

            var stored = org.GetRecord("account", id)!;
            Assert.AreEqual(org.UtcNow, stored.GetAttributeValue<DateTime>("createdon"));
            Assert.AreEqual(org.UtcNow, stored.GetAttributeValue<DateTime>("modifiedon"));
            Assert.AreEqual(TestOrganization.Alice, stored.GetAttributeValue<EntityReference>("createdby").Id);
            Assert.AreEqual(TestOrganization.Alice, stored.GetAttributeValue<EntityReference>("modifiedby").Id);
            Assert.AreEqual(TestOrganization.Alice, stored.GetAttributeValue<EntityReference>("ownerid").Id);
            Assert.AreEqual(0, stored.GetAttributeValue<OptionSetValue>("statecode").Value);
            Assert.AreEqual(1, stored.GetAttributeValue<OptionSetValue>("statuscode").Value);
        }

        [TestMethod]
        public void Update_AsOtherUserLater_ModifiedColumnsMoveCreatedStay()
        {
            var org = TestOrganization.Bare();
            var id = org.CreateOrganizationService(TestOrganization.Alice).Create(new Entity("account") { ["name"] = "Contoso" });
            var created = org.UtcNow;
            org.AdvanceTime(TimeSpan.FromMinutes(5));

            org.CreateOrganizationService(TestOrganization.Bob).Update(new Entity("account", id) { ["name"] = "Contoso Ltd" });

            var stored = org.GetRecord("account", id)!;
            Assert.AreEqual(created, stored.GetAttributeValue<DateTime>("createdon"));
            Assert.AreEqual(created.AddMinutes(5), stored.GetAttributeValue<DateTime>("modifiedon"));
            Assert.AreEqual(TestOrganization.Alice, stored.GetAttributeValue<EntityReference>("createdby").Id);
            Assert.AreEqual(TestOrganization.Bob, stored.GetAttributeValue<EntityReference>("modifiedby").Id);
        }

        [TestMethod]
        public void Write_EveryTime_RowVersionChanges()
        {
            var org = TestOrganization.Bare();
            var service = org.GetOrganizationService();
            var id = service.Create(new Entity("account") { ["name"] = "v1" });
            var first = service.Retrieve("account", id, new ColumnSet()).RowVersion;

            service.Update(new Entity("account", id) { ["name"] = "v2" });
            var second = service.Retrieve("account", id, new ColumnSet()).RowVersion;

            Assert.IsFalse(string.IsNullOrEmpty(first));
            Assert.AreNotEqual(first, second);
        }

        [TestMethod]
        public void Retrieve_ColumnSet_ReturnsOnlyAskedColumnsWithoutNullsAndWithId()
        {
            var org = TestOrganization.Bare();
            org.Initialize(new Entity("account", AccountId) { ["name"] = "Contoso", ["telephone1"] = "555", ["description"] = null });

            var result = org.GetOrganizationService().Retrieve("account", AccountId, new ColumnSet("name", "description"));

            Assert.AreEqual(AccountId, result.Id);
            Assert.AreEqual(AccountId, result.GetAttributeValue<Guid>("accountid"));
            Assert.AreEqual("Contoso", result.GetAttributeValue<string>("name"));
            Assert.IsFalse(result.Contains("telephone1"));
            Assert.IsFalse(result.Contains("description"));
        }

        [TestMethod]
        public void Update_NullValue_RemovesColumn()
        {
            var org = TestOrganization.Bare();
            org.Initialize(new Entity("account", AccountId) { ["name"] = "Contoso", ["telephone1"] = "555" });

            org.GetOrganizationService().Update(new Entity("account", AccountId) { ["telephone1"] = null });

            Assert.IsFalse(org.GetRecord("account", AccountId)!.Contains("telephone1"));
        }

        [TestMethod]
        public void Retrieve_MissingRow_FaultsWithObjectDoesNotExist()
        {
            var org = TestOrganization.Bare();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Retrieve("account", AccountId, new ColumnSet(true)));

            Assert.AreEqual(unchecked((int)0x80040217), fault.Detail.ErrorCode);
            StringAssert.Contains(fault.Detail.Message, AccountId.ToString());
        }

        [TestMethod]
        public void UpdateAndDelete_MissingRow_FaultWithObjectDoesNotExist()
        {
            var org = TestOrganization.Bare();
            var service = org.GetOrganizationService();

            var update = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => service.Update(new Entity("account", AccountId) { ["name"] = "x" }));
            var delete = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => service.Delete("account", AccountId));

            Assert.AreEqual(ErrorCodes.ObjectDoesNotExist, update.Detail.ErrorCode);
            Assert.AreEqual(ErrorCodes.ObjectDoesNotExist, delete.Detail.ErrorCode);
        }

        [TestMethod]
        public void Create_DuplicateId_FaultsWithDuplicateRecord()
        {
            var org = TestOrganization.Bare();
            var service = org.GetOrganizationService();
            service.Create(new Entity("account", AccountId));

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => service.Create(new Entity("account", AccountId)));

            Assert.AreEqual(unchecked((int)0x80040237), fault.Detail.ErrorCode);
        }

        [TestMethod]
        public void Delete_ExistingRow_RowIsGone()
        {
            var org = TestOrganization.Bare();
            org.Initialize(new Entity("account", AccountId) { ["name"] = "Contoso" });

            org.GetOrganizationService().Delete("account", AccountId);

            Assert.IsNull(org.GetRecord("account", AccountId));
        }

        [TestMethod]
        public void Execute_TypedCreateRequest_ReturnsTypedResponse()
        {
            var org = TestOrganization.Bare();

            var response = (CreateResponse)org.GetOrganizationService().Execute(new CreateRequest { Target = new Entity("account", AccountId) });

            Assert.AreEqual(AccountId, response.id);
        }

        [TestMethod]
        public void Execute_UnknownMessage_NotSupportedExceptionNamesRequest()
        {
            var org = TestOrganization.Bare();

            var exception = Assert.ThrowsExactly<NotSupportedException>(() => org.GetOrganizationService().Execute(new OrganizationRequest("emc_DoesNotExist")));

            StringAssert.Contains(exception.Message, "emc_DoesNotExist");
        }

        [TestMethod]
        public void Create_EmailWithPartyLists_WritesActivityPartyRows()
        {
            var org = TestOrganization.Bare();
            var email = new Entity("email")
            {
                ["subject"] = "Emergency",
                ["from"] = new EntityCollection(new List<Entity> { new Entity("activityparty") { ["partyid"] = new EntityReference("systemuser", TestOrganization.Alice) } }),
                ["to"] = new EntityCollection(new List<Entity>
                {
                    new Entity("activityparty") { ["addressused"] = "ops@contoso.com" },
                    new Entity("activityparty") { ["addressused"] = "lead@contoso.com" },
                }),
            };

            var emailId = org.GetOrganizationService().Create(email);

            var query = new QueryExpression("activityparty") { ColumnSet = new ColumnSet("addressused", "partyid") };
            query.Criteria.AddCondition("activityid", ConditionOperator.Equal, emailId);
            query.Criteria.AddCondition("participationtypemask", ConditionOperator.Equal, 2);
            var recipients = org.GetOrganizationService().RetrieveMultiple(query).Entities.Select(p => p.GetAttributeValue<string>("addressused")).OrderBy(a => a).ToArray();
            CollectionAssert.AreEqual(new[] { "lead@contoso.com", "ops@contoso.com" }, recipients);
            Assert.AreEqual(3, org.GetRecords("activityparty").Count);
            Assert.AreEqual(2, org.GetRecord("email", emailId)!.GetAttributeValue<EntityCollection>("to").Entities.Count, "the column keeps the list");
        }

        [TestMethod]
        public void UpdateAndDelete_EmailPartyList_ReplacesThenRemovesRows()
        {
            var org = TestOrganization.Bare();
            var service = org.GetOrganizationService();
            var emailId = service.Create(new Entity("email") { ["to"] = new EntityCollection(new List<Entity> { new Entity("activityparty") { ["addressused"] = "a@contoso.com" } }) });

            service.Update(new Entity("email", emailId) { ["to"] = new EntityCollection(new List<Entity> { new Entity("activityparty") { ["addressused"] = "b@contoso.com" } }) });
            var afterUpdate = org.GetRecords("activityparty").Single().GetAttributeValue<string>("addressused");
            service.Delete("email", emailId);

            Assert.AreEqual("b@contoso.com", afterUpdate);
            Assert.AreEqual(0, org.GetRecords("activityparty").Count);
        }

        [TestMethod]
        public void Initialize_SeedRows_NotLoggedAndRetrievable()
        {
            var org = TestOrganization.Bare();

            org.Initialize(new[] { new Entity("contact", new Guid("c0000000-0000-4000-8000-000000000001")) { ["lastname"] = "Seed" } });

            Assert.AreEqual(0, org.RequestLog.Count);
            Assert.AreEqual("Seed", org.GetOrganizationService().Retrieve("contact", new Guid("c0000000-0000-4000-8000-000000000001"), new ColumnSet("lastname")).GetAttributeValue<string>("lastname"));
        }
    }
}
