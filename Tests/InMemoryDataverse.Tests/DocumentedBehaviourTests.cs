using System.ServiceModel;
using InMemoryDataverse.Tests.TestPlugins;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Tests
{
    /// <summary>
    /// Behaviour read from Microsoft's documentation, one test (or a few) per page; each test names the page it follows.
    /// Pages are on learn.microsoft.com; paths are given from there.
    /// </summary>
    [TestClass]
    public sealed class DocumentedBehaviourTests
    {
        private static readonly Guid AccountId = new Guid("d0c00000-0000-4000-8000-000000000001");

        // ---------------------------------------------------------------- dotnet/api/microsoft.xrm.sdk.ipluginexecutioncontext.parentcontext

        /// <summary>"This property may be populated for a plug-in registered in stage 20 or 40 when a Create, Update, Delete, or RetrieveExchangeRate request is processed."</summary>
        [TestMethod]
        public void ParentContext_OfANestedCreate_OnlyInStages20And40()
        {
            var org = TestOrganization.WithSolution();
            foreach (var stage in new[] { PipelineStages.PreValidation, PipelineStages.PreOperation, PipelineStages.PostOperation })
            {
                org.RegisterStep(new StepRegistration
                {
                    Name = "stage " + stage,
                    MessageName = "Create",
                    PrimaryEntity = "contact",
                    PluginType = typeof(TraceContextPlugin),
                    Stage = stage,
                    UnsecureConfiguration = "stage" + stage,
                });
            }

            org.GetOrganizationService().Create(new Entity("account", AccountId) { ["name"] = "Contoso" });

            StringAssert.Contains(org.TracesOf("stage10").Single(), "parent=none");
            StringAssert.Contains(org.TracesOf("stage20").Single(), "parent=Create");
            StringAssert.Contains(org.TracesOf("stage40").Single(), "parent=Create");
        }

        /// <summary>A custom API's main operation (stage 30) is not among the documented cases: no ParentContext unless a test asks for the undocumented one.</summary>
        [TestMethod]
        public void ParentContext_OfACustomApiCalledFromAPlugin_NoneUnlessTheUndocumentedOptionIsOn()
        {
            foreach (var keep in new[] { false, true })
            {
                var org = TestOrganization.Bare();
                org.ParentContextInCustomApiMainOperation = keep;
                org.RegisterCustomApi(new CustomApiDefinition { UniqueName = "new_ParentProbe", PluginType = typeof(ParentProbePlugin) });
                org.RegisterStep(new StepRegistration { Name = "call-api", MessageName = "Create", PrimaryEntity = "account", Stage = 40, PluginType = typeof(CallEchoApiPlugin) });

                org.GetOrganizationService().Create(new Entity("account", AccountId) { ["name"] = "Contoso" });

                Assert.AreEqual("echo-parent=" + (keep ? "Create" : "none"), org.Traces.Single(t => t.StartsWith("echo-parent=", StringComparison.Ordinal)));
            }
        }

        // ---------------------------------------------------------------- dotnet/api/microsoft.xrm.sdk.iorganizationservicefactory.createorganizationservice

        /// <summary>"When called in a plug-in, a null value indicates the SYSTEM user and a Guid.Empty value indicates the same user as IPluginExecutionContext.UserId."</summary>
        [TestMethod]
        public void CreateOrganizationService_InAPlugin_NullIsSystemAndGuidEmptyIsTheContextUser()
        {
            var org = TestOrganization.Bare();
            org.RegisterStep(new StepRegistration { Name = "as", MessageName = "Create", PrimaryEntity = "account", Stage = 40, PluginType = typeof(CreateTasksAsPlugin) });

            org.CreateOrganizationService(TestOrganization.Alice).Create(new Entity("account") { ["name"] = "Contoso" });

            var tasks = org.GetRecords("task").ToDictionary(t => t.GetAttributeValue<string>("subject"), t => t.GetAttributeValue<EntityReference>("createdby").Id);
            Assert.AreEqual(org.SystemUserId, tasks["null"]);
            Assert.AreEqual(TestOrganization.Alice, tasks["empty"]);
            Assert.AreEqual(TestOrganization.Bob, tasks["bob"]);
        }

        // ---------------------------------------------------------------- power-apps/developer/data-platform/org-service/queryexpression/page-results

        /// <summary>"The default and maximum page size is 5,000 rows. If you don't set a page size, Dataverse will return up to 5,000 rows of data at a time."</summary>
        [TestMethod]
        public void RetrieveMultiple_WithoutPaging_StopsAt5000RowsWithMoreRecordsAndACookie()
        {
            var org = TestOrganization.Bare();
            org.Initialize(Enumerable.Range(0, 5_001).Select(i => new Entity("account") { ["name"] = "a" + i.ToString("0000") }));
            var service = org.GetOrganizationService();

            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.AddOrder("name", OrderType.Ascending);
            var first = service.RetrieveMultiple(query);

            Assert.AreEqual(5_000, first.Entities.Count);
            Assert.IsTrue(first.MoreRecords);
            StringAssert.StartsWith(first.PagingCookie, "<cookie page=\"1\"><name last=\"a4999\" first=\"a0000\" /><accountid last=\"");

            query.PageInfo = new PagingInfo { Count = 5_000, PageNumber = 2, PagingCookie = first.PagingCookie };
            var second = service.RetrieveMultiple(query);
            Assert.AreEqual("a5000", second.Entities.Single().GetAttributeValue<string>("name"));
            Assert.IsFalse(second.MoreRecords);
        }

        [TestMethod]
        public void RetrieveMultiple_PageByPage_ReturnsConsecutivePagesAndTheTotalCount()
        {
            var org = TestOrganization.Bare();
            org.Initialize(Enumerable.Range(0, 5).Select(i => new Entity("account") { ["name"] = "a" + i }));
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name"), PageInfo = new PagingInfo { Count = 2, PageNumber = 1, ReturnTotalRecordCount = true } };
            query.AddOrder("name", OrderType.Ascending);
            var names = new List<string>();
            EntityCollection page;
            do
            {
                page = org.GetOrganizationService().RetrieveMultiple(query);
                names.AddRange(page.Entities.Select(e => e.GetAttributeValue<string>("name")));
                Assert.AreEqual(5, page.TotalRecordCount);
                query.PageInfo.PageNumber++;
                query.PageInfo.PagingCookie = page.PagingCookie;
            }
            while (page.MoreRecords);

            CollectionAssert.AreEqual(new[] { "a0", "a1", "a2", "a3", "a4" }, names);
            Assert.AreEqual(4, query.PageInfo.PageNumber, "three pages");
        }

        /// <summary>"Don't use the QueryExpression.TopCount property with paging"; QueryExpression.PageInfo: "If both are specified, an error will be thrown."</summary>
        [TestMethod]
        public void RetrieveMultiple_TopCountWithPageInfo_Faults()
        {
            var org = TestOrganization.Bare();
            var query = new QueryExpression("account") { TopCount = 3, PageInfo = new PagingInfo { Count = 2, PageNumber = 1 } };

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => org.GetOrganizationService().RetrieveMultiple(query));
            StringAssert.Contains(fault.Detail.Message, "TopCount");
        }

        // ---------------------------------------------------------------- power-apps/developer/data-platform/wildcard-characters

        /// <summary>% _ [] [^] are wildcards in like, begins-with and ends-with (and their negations); a bracketed wildcard is a literal.</summary>
        [TestMethod]
        [DataRow(ConditionOperator.BeginsWith, "Con_oso", "Contoso|Conxoso ltd")]
        [DataRow(ConditionOperator.BeginsWith, "[AF]", "Adventure|Fabrikam")]
        [DataRow(ConditionOperator.EndsWith, "[0-9]", "Shop 7")]
        [DataRow(ConditionOperator.EndsWith, "[^0-9]", "Adventure|Contoso|Conxoso ltd|Fabrikam|100%")]
        [DataRow(ConditionOperator.Like, "%[%]", "100%")]
        [DataRow(ConditionOperator.Like, "c%o", "Contoso")]
        [DataRow(ConditionOperator.DoesNotBeginWith, "c%", "Adventure|Fabrikam|Shop 7|100%")]
        public void StringConditions_TakeSqlWildcards(ConditionOperator op, string value, string expected)
        {
            var org = TestOrganization.Bare();
            org.Initialize(new[] { "Contoso", "Conxoso ltd", "Adventure", "Fabrikam", "Shop 7", "100%" }.Select(n => new Entity("account") { ["name"] = n }));
            var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            query.Criteria.AddCondition("name", op, value);
            query.AddOrder("name", OrderType.Ascending);

            var names = org.GetOrganizationService().RetrieveMultiple(query).Entities.Select(e => e.GetAttributeValue<string>("name")).OrderBy(n => n, StringComparer.Ordinal);

            Assert.AreEqual(string.Join("|", expected.Split('|').OrderBy(n => n, StringComparer.Ordinal)), string.Join("|", names));
        }

        // ---------------------------------------------------------------- power-apps/developer/data-platform/org-service/execute-multiple-requests

        /// <summary>Run-time limitations: at most 1,000 requests (refused before any runs), and no recursion.</summary>
        [TestMethod]
        public void ExecuteMultiple_MoreThanAThousandRequests_RefusedBeforeAnyRuns()
        {
            var org = TestOrganization.Bare();
            var requests = new OrganizationRequestCollection();
            requests.AddRange(Enumerable.Range(0, 1_001).Select(i => new CreateRequest { Target = new Entity("account") { ["name"] = "a" + i } }));

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Execute(new ExecuteMultipleRequest { Requests = requests, Settings = new ExecuteMultipleSettings() }));

            Assert.AreEqual(1_000, fault.Detail.ErrorDetails["MaxBatchSize"]);
            Assert.AreEqual(0, org.GetRecords("account").Count);
        }

        [TestMethod]
        public void ExecuteMultiple_InsideExecuteMultiple_FaultsThatItemOnly()
        {
            var org = TestOrganization.Bare();
            var inner = new ExecuteMultipleRequest { Requests = new OrganizationRequestCollection(), Settings = new ExecuteMultipleSettings() };

            var response = (ExecuteMultipleResponse)org.GetOrganizationService().Execute(new ExecuteMultipleRequest
            {
                Requests = new OrganizationRequestCollection { inner, new CreateRequest { Target = new Entity("account") { ["name"] = "after" } } },
                Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = true },
            });

            Assert.IsTrue(response.IsFaulted);
            Assert.IsNotNull(response.Responses.Single(r => r.RequestIndex == 0).Fault);
            Assert.AreEqual(1, org.GetRecords("account").Count);
        }

        // ---------------------------------------------------------------- power-apps/developer/data-platform/optimistic-concurrency

        /// <summary>Delete with ConcurrencyBehavior.IfRowVersionMatches: a stale RowVersion is refused, the current one deletes.</summary>
        [TestMethod]
        public void Delete_IfRowVersionMatches_RefusesAStaleVersionAndDeletesWithTheCurrentOne()
        {
            var org = TestOrganization.Bare();
            var service = org.GetOrganizationService();
            var id = service.Create(new Entity("account") { ["name"] = "v1" });
            var stale = service.Retrieve("account", id, new ColumnSet("name")).RowVersion;
            service.Update(new Entity("account", id) { ["name"] = "v2" });
            var current = service.Retrieve("account", id, new ColumnSet("name")).RowVersion;

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                service.Execute(new DeleteRequest { Target = new EntityReference("account", id) { RowVersion = stale }, ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches }));
            Assert.AreEqual(ErrorCodes.ConcurrencyVersionMismatch, fault.Detail.ErrorCode);
            Assert.IsNotNull(org.GetRecord("account", id));

            service.Execute(new DeleteRequest { Target = new EntityReference("account", id) { RowVersion = current }, ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches });
            Assert.IsNull(org.GetRecord("account", id));
        }

        // ---------------------------------------------------------------- power-apps/developer/data-platform/use-alternate-key-reference-record, .../use-upsert-insert-update-record

        [TestMethod]
        public void Lookup_ByAlternateKey_StoresTheIdOfTheRowTheKeyFinds()
        {
            var org = TestOrganization.Bare();
            org.DeclareAlternateKey("account", "account_number", "accountnumber");
            org.Initialize(new Entity("account", AccountId) { ["accountnumber"] = "A-1" });
            var service = org.GetOrganizationService();

            var contactId = service.Create(new Entity("contact") { ["parentcustomerid"] = new EntityReference("account", "accountnumber", "A-1") });

            Assert.AreEqual(AccountId, org.GetRecord("contact", contactId)!.GetAttributeValue<EntityReference>("parentcustomerid").Id);
            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                service.Create(new Entity("contact") { ["parentcustomerid"] = new EntityReference("account", "accountnumber", "missing") }));
            Assert.AreEqual(ErrorCodes.ObjectDoesNotExist, fault.Detail.ErrorCode);
        }

        [TestMethod]
        public void Upsert_ByAlternateKey_CreatesOnceThenUpdatesTheSameRow()
        {
            var org = TestOrganization.Bare();
            org.DeclareAlternateKey("account", "account_number", "accountnumber");
            var service = org.GetOrganizationService();

            var created = (UpsertResponse)service.Execute(new UpsertRequest { Target = new Entity("account", "accountnumber", "A-1") { ["name"] = "first" } });
            var updated = (UpsertResponse)service.Execute(new UpsertRequest { Target = new Entity("account", "accountnumber", "A-1") { ["name"] = "second" } });

            Assert.IsTrue(created.RecordCreated);
            Assert.IsFalse(updated.RecordCreated);
            Assert.AreEqual(created.Target.Id, updated.Target.Id);
            var row = org.GetRecords("account").Single();
            Assert.AreEqual("second", row.GetAttributeValue<string>("name"));
            Assert.AreEqual("A-1", row.GetAttributeValue<string>("accountnumber"));
        }

        // ---------------------------------------------------------------- troubleshoot/power-platform/power-apps/dataverse/client-errors

        /// <summary>"Cannot insert duplicate key", Error Code -2147220937; "... Do Not Exist", -2147220969.</summary>
        [TestMethod]
        public void DuplicateKeyAndMissingRow_FaultWithTheDocumentedCodes()
        {
            var org = TestOrganization.Bare();
            org.DeclareAlternateKey("account", "account_number", "accountnumber");
            var service = org.GetOrganizationService();
            service.Create(new Entity("account", AccountId) { ["accountnumber"] = "A-1" });

            var byId = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => service.Create(new Entity("account", AccountId)));
            var byKey = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => service.Create(new Entity("account") { ["accountnumber"] = "a-1" }));
            var missing = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => service.Update(new Entity("account", Guid.NewGuid()) { ["name"] = "x" }));

            Assert.AreEqual(-2147220937, byId.Detail.ErrorCode);
            Assert.AreEqual(-2147220937, byKey.Detail.ErrorCode, "keys compare as the default collation: case-insensitively");
            Assert.AreEqual(-2147220969, missing.Detail.ErrorCode);
        }

        // ---------------------------------------------------------------- power-apps/developer/data-platform/optional-parameters, .../bypass-custom-business-logic

        [TestMethod]
        public void TagParameter_ReachesPluginsAsASharedVariableAndIsNotAnInputParameter()
        {
            var org = TestOrganization.Bare();
            org.RegisterStep(new StepRegistration { Name = "tag", MessageName = "Create", PrimaryEntity = "account", Stage = 20, PluginType = typeof(TraceTagPlugin) });

            org.GetOrganizationService().Execute(new CreateRequest { Target = new Entity("account") { ["name"] = "Contoso" }, ["tag"] = "import-42" });

            CollectionAssert.AreEqual(new[] { "tag=import-42 input-tag=False" }, org.Traces.ToArray());
        }

        [TestMethod]
        public void BypassBusinessLogicExecution_CustomSync_SkipsSyncStepsAndNeedsItsPrivilege()
        {
            var org = TestOrganization.Bare();
            org.RegisterStep(new StepRegistration { Name = "tag", MessageName = "Create", PrimaryEntity = "account", Stage = 20, PluginType = typeof(TraceTagPlugin) });
            CreateRequest Request() => new CreateRequest { Target = new Entity("account") { ["name"] = "Contoso" }, ["BypassBusinessLogicExecution"] = "CustomSync" };

            var refused = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => org.CreateOrganizationService(TestOrganization.Alice).Execute(Request()));
            Assert.AreEqual(ErrorCodes.PrivilegeDenied, refused.Detail.ErrorCode);
            StringAssert.Contains(refused.Detail.Message, "prvBypassCustomBusinessLogic");

            org.GrantPrivilege(TestOrganization.Alice, "prvBypassCustomBusinessLogic");
            org.CreateOrganizationService(TestOrganization.Alice).Execute(Request());
            org.GetOrganizationService().Execute(new CreateRequest { Target = new Entity("account"), ["BypassCustomPluginExecution"] = true });

            Assert.AreEqual(2, org.GetRecords("account").Count);
            Assert.AreEqual(0, org.Traces.Count, "the synchronous step did not run");
        }

        // ---------------------------------------------------------------- power-apps/developer/data-platform/special-update-operation-behavior

        /// <summary>"When you update StateCode without specifying a StatusCode, the default status value will be set by the system."</summary>
        [TestMethod]
        public void StateChangeWithoutStatus_SetsTheStatesDefaultStatus()
        {
            var org = TestOrganization.Bare();
            org.DeclareDefaultStatus("new_ticket", 1, 5);
            var service = org.GetOrganizationService();
            var account = service.Create(new Entity("account"));
            var ticket = service.Create(new Entity("new_ticket"));

            service.Update(new Entity("account", account) { ["statecode"] = new OptionSetValue(1) });
            service.Execute(new OrganizationRequest("SetState") { ["EntityMoniker"] = new EntityReference("new_ticket", ticket), ["State"] = new OptionSetValue(1), ["Status"] = new OptionSetValue(-1) });

            Assert.AreEqual(2, org.GetRecord("account", account)!.GetAttributeValue<OptionSetValue>("statuscode").Value);
            Assert.AreEqual(5, org.GetRecord("new_ticket", ticket)!.GetAttributeValue<OptionSetValue>("statuscode").Value);
        }

        // ---------------------------------------------------------------- column metadata (Entity.xml), web service error codes

        /// <summary>A text longer than the column allows: 0x80044331 StringLengthTooLong; a value of the wrong kind: "Incorrect attribute value type".</summary>
        [TestMethod]
        public void Columns_OfTheLoadedSolution_EnforceMaxLengthAndType()
        {
            var org = TestOrganization.Bare();
            org.LoadTables(TestOrganization.ShippedSolutionFolder);
            var service = org.GetOrganizationService();
            var maxLength = org.LoadedTables["emc_emergencycall"].Column("emc_name")!.MaxLength!.Value;

            var id = service.Create(new Entity("emc_emergencycall") { ["emc_name"] = new string('x', maxLength) });
            var tooLong = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                service.Update(new Entity("emc_emergencycall", id) { ["emc_name"] = new string('x', maxLength + 1) }));
            var wrongType = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                service.Create(new Entity("emc_emergencycall") { ["emc_name"] = 42 }));
            service.Create(new Entity("emc_undeclared") { ["anything"] = 42 });

            Assert.AreEqual(unchecked((int)0x80044331), tooLong.Detail.ErrorCode);
            StringAssert.Contains(tooLong.Detail.Message, $"exceeded the maximum allowed length of '{maxLength}'");
            Assert.AreEqual(ErrorCodes.InvalidArgument, wrongType.Detail.ErrorCode);
            StringAssert.Contains(wrongType.Detail.Message, "Incorrect attribute value type");
        }

        /// <summary>Creates three tasks from a plug-in, through services made with null, Guid.Empty and Bob's id.</summary>
        public sealed class CreateTasksAsPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
                factory.CreateOrganizationService(null).Create(new Entity("task") { ["subject"] = "null" });
                factory.CreateOrganizationService(Guid.Empty).Create(new Entity("task") { ["subject"] = "empty" });
                factory.CreateOrganizationService(TestOrganization.Bob).Create(new Entity("task") { ["subject"] = "bob" });
            }
        }

        /// <summary>From a Create step, calls a custom API whose plugin traces its ParentContext's message.</summary>
        public sealed class CallEchoApiPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
                factory.CreateOrganizationService(null).Execute(new OrganizationRequest("new_ParentProbe"));
            }
        }

        /// <summary>The custom API's main operation: traces its ParentContext's message.</summary>
        public sealed class ParentProbePlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                var tracing = (ITracingService)serviceProvider.GetService(typeof(ITracingService))!;
                tracing.Trace("echo-parent=" + (context.ParentContext?.MessageName ?? "none"));
            }
        }

        /// <summary>Traces SharedVariables["tag"] and whether "tag" also came as an input parameter.</summary>
        public sealed class TraceTagPlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                var tracing = (ITracingService)serviceProvider.GetService(typeof(ITracingService))!;
                tracing.Trace("tag={0} input-tag={1}", context.SharedVariables.Contains("tag") ? context.SharedVariables["tag"] : "none", context.InputParameters.Contains("tag"));
            }
        }
    }
}
