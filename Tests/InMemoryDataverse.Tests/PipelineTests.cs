using System.ServiceModel;
using InMemoryDataverse.Tests.TestPlugins;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Tests
{
    [TestClass]
    public sealed class PipelineTests
    {
        private static readonly Guid AccountId = new Guid("acc00000-0000-4000-8000-000000000001");
        private static readonly Guid ContactId = new Guid("c0000000-0000-4000-8000-000000000001");
        private static readonly Guid LeadId = new Guid("1ead0000-0000-4000-8000-000000000001");
        private const string PostCreateChild = "InMemoryDataverse.Tests.TestPlugins.PostCreateChildPlugin";

        private static Entity ContactsOf(InMemoryOrganization org, Guid accountId) =>
            org.GetRecords("contact").Single(c => c.GetAttributeValue<EntityReference>("parentcustomerid")?.Id == accountId);

        [TestMethod]
        public void Create_ThroughPipeline_StagesRunInOrderWithSharedVariablesImagesAndOutputId()
        {
            var org = TestOrganization.WithSolution();

            var id = org.CreateOrganizationService(TestOrganization.Alice).Create(new Entity("account", AccountId) { ["name"] = "Contoso" });

            Assert.AreEqual("stamped by pre-operation", org.GetRecord("account", id)!.GetAttributeValue<string>("description"), "PreOperation changes to Target are saved");
            var trace = org.TracesOf("post-create-account").Single();
            StringAssert.Contains(trace, "stage=40 mode=0 depth=1 message=Create entity=account id=" + AccountId);
            StringAssert.Contains(trace, "outputid=" + AccountId);
            StringAssert.Contains(trace, "post:PostImage=accountid,description,name");
            StringAssert.Contains(trace, "shared=yes");
            StringAssert.Contains(trace, "tx=True");
            StringAssert.Contains(trace, $"user={TestOrganization.Alice} initiator={TestOrganization.Alice}");
        }

        [TestMethod]
        public void Create_PreValidationThrows_FaultWithPluginMessageAndNothingSaved()
        {
            var org = TestOrganization.WithSolution();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Create(new Entity("account", AccountId) { ["name"] = "reject" }));

            Assert.AreEqual(ErrorCodes.IsvAborted, fault.Detail.ErrorCode);
            Assert.AreEqual("Accounts named 'reject' are refused in PreValidation.", fault.Detail.Message);
            Assert.IsNull(org.GetRecord("account", AccountId));
        }

        [TestMethod]
        public void Update_TopLevel_PreValidationRunsOutsideTransaction()
        {
            var org = TestOrganization.WithSolution();
            org.Initialize(new Entity("contact", ContactId) { ["lastname"] = "Adams" });

            org.GetOrganizationService().Update(new Entity("contact", ContactId) { ["lastname"] = "Baker" });

            StringAssert.Contains(org.TracesOf("prevalidation-update-contact").Single(), "stage=10 mode=0 depth=1 message=Update entity=contact id=" + ContactId);
            StringAssert.Contains(org.TracesOf("prevalidation-update-contact").Single(), "tx=False");
            StringAssert.Contains(org.TracesOf("rank-1").Single(), "tx=True");
        }

        [TestMethod]
        public void Create_PostOperationThrows_RollsBackOperationAndNestedWrites()
        {
            var org = TestOrganization.WithSolution();

            Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Create(new Entity("account", AccountId) { ["name"] = "fail-post" }));

            Assert.IsNull(org.GetRecord("account", AccountId));
            Assert.AreEqual(0, org.GetRecords("contact").Count, "the contact the plugin created is rolled back too");
            Assert.AreEqual(1, org.CountRequests("Create", "contact"), "the nested create did run");
            Assert.AreEqual(0, org.PendingAsyncOperationCount, "async work of a rolled-back operation is discarded");
        }

        [TestMethod]
        public void Create_PluginSwallowsFailedWrite_OperationFailsAndRollsBack()
        {
            var org = TestOrganization.WithSolution();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Create(new Entity("account", AccountId) { ["name"] = "swallow" }));

            Assert.AreEqual(ErrorCodes.IsvReducedTransactionCount, fault.Detail.ErrorCode);
            Assert.IsNull(org.GetRecord("account", AccountId));
        }

        [TestMethod]
        public void Create_PluginSwallowsFailedWrite_AllowedWhenStrictnessOff()
        {
            var org = TestOrganization.WithSolution();
            org.FailOperationsThatSwallowNestedWriteFaults = false;

            org.GetOrganizationService().Create(new Entity("account", AccountId) { ["name"] = "swallow" });

            Assert.IsNotNull(org.GetRecord("account", AccountId));
        }

        [TestMethod]
        public void Create_NestedRequestFromPlugin_LoggedWithDepthUserAndPluginType()
        {
            var org = TestOrganization.WithSolution();
            org.CreateOrganizationService(TestOrganization.Alice).Create(new Entity("account", AccountId) { ["name"] = "Contoso" });

            var nested = org.RequestLog.Single(r => r.MessageName == "Create" && r.EntityName == "contact");

            Assert.AreEqual(2, nested.Depth);
            Assert.IsTrue(nested.FromPlugin);
            Assert.AreEqual(PostCreateChild, nested.PluginTypeName);
            Assert.AreEqual(TestOrganization.Alice, nested.UserId);
            Assert.AreEqual(1, org.CountRoundTrips(PostCreateChild));
            Assert.AreEqual(TestOrganization.Alice, ContactsOf(org, AccountId).GetAttributeValue<EntityReference>("createdby").Id);
        }

        [TestMethod]
        public void Create_NestedPipeline_ParentContextAndDepthFilled()
        {
            var org = TestOrganization.WithSolution();
            org.RegisterStep(new StepRegistration
            {
                Name = "child-created",
                MessageName = "Create",
                PrimaryEntity = "contact",
                PluginType = typeof(TraceContextPlugin),
                Stage = 40,
                UnsecureConfiguration = "child-created",
            });

            org.GetOrganizationService().Create(new Entity("account", AccountId) { ["name"] = "Contoso" });

            var trace = org.TracesOf("child-created").Single();
            StringAssert.Contains(trace, "depth=2 message=Create entity=contact");
            StringAssert.Contains(trace, "parent=Create");
        }

        [TestMethod]
        public void Create_AsyncStep_QueuedUntilRunPendingAsyncOperations()
        {
            var org = TestOrganization.WithSolution();
            org.CreateOrganizationService(TestOrganization.Alice).Create(new Entity("account", AccountId) { ["name"] = "Contoso" });

            Assert.AreEqual(0, org.GetRecords("task").Count);
            Assert.AreEqual(1, org.PendingAsyncOperationCount);

            Assert.AreEqual(1, org.RunPendingAsyncOperations());

            var task = org.GetRecords("task").Single();
            Assert.AreEqual("follow up Contoso", task.GetAttributeValue<string>("subject"));
            Assert.AreEqual(org.SystemUserId, task.GetAttributeValue<EntityReference>("createdby").Id, "CreateOrganizationService(null) is SYSTEM");
        }

        [TestMethod]
        public void Create_AsyncStepsImmediately_RunAfterCommit()
        {
            var org = TestOrganization.WithSolution();
            org.RunAsyncStepsImmediately = true;

            org.GetOrganizationService().Create(new Entity("account", AccountId) { ["name"] = "Contoso" });

            Assert.AreEqual(1, org.GetRecords("task").Count);
        }

        [TestMethod]
        public void Create_AsyncStepThrows_OperationKeptAndFailureRecorded()
        {
            var org = TestOrganization.WithSolution();
            org.GetOrganizationService().Create(new Entity("account", AccountId) { ["name"] = "async-fail" });

            org.RunPendingAsyncOperations();

            Assert.IsNotNull(org.GetRecord("account", AccountId));
            var failure = org.FailedAsyncOperations.Single();
            StringAssert.Contains(failure.StepName, "AsyncTaskPlugin");
            Assert.AreEqual(AccountId, failure.PrimaryEntityId);
            StringAssert.Contains(failure.Exception.Message, "Async work failed on purpose.");
        }

        [TestMethod]
        public void Update_AsyncStep_RunsOutsideTransactionWithCapturedImages()
        {
            var org = TestOrganization.WithSolution();
            org.Initialize(new Entity("contact", ContactId) { ["lastname"] = "Adams" });
            org.RegisterStep(new StepRegistration
            {
                Name = "async-update-contact",
                MessageName = "Update",
                PrimaryEntity = "contact",
                PluginType = typeof(TraceContextPlugin),
                Stage = 40,
                Mode = 1,
                UnsecureConfiguration = "async-update-contact",
                Images = new[] { new StepImage { Name = "Pre", EntityAlias = "Pre", ImageType = 0, Attributes = new[] { "lastname" } } },
            });

            org.GetOrganizationService().Update(new Entity("contact", ContactId) { ["lastname"] = "Baker" });
            org.GetOrganizationService().Update(new Entity("contact", ContactId) { ["lastname"] = "Carter" });
            org.RunPendingAsyncOperations();

            var traces = org.TracesOf("async-update-contact");
            Assert.AreEqual(2, traces.Length);
            StringAssert.Contains(traces[0], "stage=40 mode=1 depth=1");
            StringAssert.Contains(traces[0], "tx=False");
            StringAssert.Contains(traces[0], "pre:Pre=contactid,lastname");
        }

        [TestMethod]
        public void Upsert_ExistingRow_RunsUpdateSteps()
        {
            var org = TestOrganization.WithSolution();
            org.Initialize(new Entity("contact", ContactId) { ["lastname"] = "Adams" });

            org.GetOrganizationService().Execute(new Microsoft.Xrm.Sdk.Messages.UpsertRequest { Target = new Entity("contact", ContactId) { ["lastname"] = "Baker" } });

            Assert.AreEqual(1, org.TracesOf("rank-1").Length);
            Assert.AreEqual("Baker", org.GetRecord("contact", ContactId)!.GetAttributeValue<string>("lastname"));
        }

        [TestMethod]
        public void RegisterStep_SecureConfiguration_PassedToConstructor()
        {
            var org = TestOrganization.Bare();
            org.RegisterStep(new StepRegistration
            {
                Name = "configuration",
                MessageName = "Create",
                PrimaryEntity = "account",
                PluginType = typeof(ConfigurationEchoPlugin),
                Stage = 20,
                UnsecureConfiguration = "open",
                SecureConfiguration = "hidden",
            });

            org.GetOrganizationService().Create(new Entity("account"));

            Assert.AreEqual("[configuration] unsecure=open secure=hidden", org.Traces.Single());
        }

        [TestMethod]
        public void Create_PluginCallsAsSystem_NestedContextKeepsInitiatingUser()
        {
            var org = TestOrganization.WithSolution();
            org.RegisterStep(new StepRegistration
            {
                Name = "task-created",
                MessageName = "Create",
                PrimaryEntity = "task",
                PluginType = typeof(TraceContextPlugin),
                Stage = 40,
                UnsecureConfiguration = "task-created",
            });
            org.CreateOrganizationService(TestOrganization.Alice).Create(new Entity("account", AccountId) { ["name"] = "Contoso" });

            org.RunPendingAsyncOperations();

            StringAssert.Contains(org.TracesOf("task-created").Single(), $"user={org.SystemUserId} initiator={TestOrganization.Alice}");
        }

        [TestMethod]
        public void Update_TwoStepsSameStage_RunInRankOrder()
        {
            var org = TestOrganization.WithSolution();
            org.Initialize(new Entity("contact", ContactId) { ["lastname"] = "Adams" });

            org.GetOrganizationService().Update(new Entity("contact", ContactId) { ["lastname"] = "Baker" });

            var ranked = org.Traces.Where(t => t.StartsWith("[rank-", StringComparison.Ordinal)).Select(t => t.Substring(0, 8)).ToArray();
            CollectionAssert.AreEqual(new[] { "[rank-1]", "[rank-2]" }, ranked);
        }

        [TestMethod]
        public void Update_FilteringAttributeNotInTarget_StepSkipped()
        {
            var org = TestOrganization.WithSolution();
            org.Initialize(new Entity("account", AccountId) { ["name"] = "Contoso" });

            org.GetOrganizationService().Update(new Entity("account", AccountId) { ["description"] = "no name change" });

            Assert.AreEqual(0, org.TracesOf("update-account-images").Length);
        }

        [TestMethod]
        public void Update_FilteringAttributeInTarget_StepGetsConfiguredPreAndPostImages()
        {
            var org = TestOrganization.WithSolution();
            org.Initialize(new Entity("account", AccountId) { ["name"] = "Contoso", ["description"] = "before", ["telephone1"] = "555" });
            org.RegisterStep(new StepRegistration
            {
                Name = "capture",
                MessageName = "Update",
                PrimaryEntity = "account",
                PluginType = typeof(TraceContextPlugin),
                Stage = 40,
                UnsecureConfiguration = "capture",
                Images = new[] { new StepImage { Name = "Pre", EntityAlias = "Pre", ImageType = 0, Attributes = new[] { "name" } } },
            });

            org.GetOrganizationService().Update(new Entity("account", AccountId) { ["name"] = "Contoso Ltd" });
            var preName = org.TracesOf("capture").Single();

            var trace = org.TracesOf("update-account-images").Single();
            StringAssert.Contains(trace, "pre:PreImage=accountid,description,name ");
            StringAssert.Contains(trace, "post:PostImage=");
            StringAssert.Contains(trace, "telephone1", "an image without attributes has all columns");
            Assert.IsTrue(preName.EndsWith(" pre:Pre=accountid,name", StringComparison.Ordinal), preName);
        }

        [TestMethod]
        public void AddMessageHandler_ReplacesUpdate_HandlerSeesPrimaryEntityIdAndNothingIsWritten()
        {
            var org = TestOrganization.WithSolution();
            org.Initialize(new Entity("account", AccountId) { ["name"] = "Contoso" });
            var seenIds = new List<string>();
            org.AddMessageHandler("Update", (request, info) =>
            {
                seenIds.Add(info!.Context!.PrimaryEntityId.ToString());
                return new Microsoft.Xrm.Sdk.Messages.UpdateResponse();
            });

            org.GetOrganizationService().Update(new Entity("account", AccountId) { ["name"] = "Renamed" });

            Assert.AreEqual(AccountId.ToString(), seenIds.Single());
            Assert.AreEqual("Contoso", org.GetRecord("account", AccountId)!.GetAttributeValue<string>("name"), "the handler replaced the write");
        }

        [TestMethod]
        public void Update_PluginUpdatesItselfForever_FaultsAtDepthLimitAndRollsBack()
        {
            var org = TestOrganization.WithSolution();
            org.Initialize(new Entity("lead", LeadId) { ["subject"] = "start" });

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Update(new Entity("lead", LeadId) { ["subject"] = "go" }));

            StringAssert.Contains(fault.Detail.Message, "infinite loop");
            Assert.AreEqual(8, org.RequestLog.Max(r => r.Depth) - 1, "depth 8 ran, depth 9 faulted");
            Assert.AreEqual("start", org.GetRecord("lead", LeadId)!.GetAttributeValue<string>("subject"));
        }

        [TestMethod]
        public void Execute_Twice_PluginInstanceReusedPerStep()
        {
            var org = TestOrganization.WithSolution();
            org.Initialize(new Entity("contact", ContactId) { ["lastname"] = "Adams" });
            var service = org.GetOrganizationService();

            service.Update(new Entity("contact", ContactId) { ["lastname"] = "Baker" });
            service.Update(new Entity("contact", ContactId) { ["lastname"] = "Carter" });

            var traces = org.TracesOf("rank-1");
            StringAssert.Contains(traces[0], "executions=1");
            StringAssert.Contains(traces[1], "executions=2");
            StringAssert.Contains(org.TracesOf("rank-2")[1], "executions=2", "each step has its own instance");
        }

        [TestMethod]
        public void Execute_Context_OperationCreatedOnIsOrganizationClock()
        {
            var org = TestOrganization.WithSolution();
            org.UtcNow = new DateTime(2026, 7, 4, 10, 30, 0, DateTimeKind.Utc);

            org.GetOrganizationService().Create(new Entity("account", AccountId) { ["name"] = "Contoso" });

            StringAssert.Contains(org.TracesOf("post-create-account").Single(), "created=2026-07-04T10:30:00.0000000Z");
        }

        [TestMethod]
        public void ExecutePluginWith_HandBuiltContext_RunsPluginWithConfiguration()
        {
            var org = TestOrganization.Bare();
            var context = org.GetDefaultPluginContext();
            context.MessageName = "Create";
            context.Stage = 20;
            var target = new Entity("account") { ["name"] = "Contoso" };
            context.InputParameters["Target"] = target;

            org.ExecutePluginWith<StampDescriptionPlugin>(context, "configured");

            Assert.AreEqual("configured", target.GetAttributeValue<string>("description"));
        }

        [TestMethod]
        public void ExecutePluginWithTarget_PluginWritesThroughOrganization()
        {
            var org = TestOrganization.Bare();
            org.Initialize(new Entity("account", AccountId) { ["name"] = "Contoso" });

            org.ExecutePluginWithTarget<PostCreateChildPlugin>(new Entity("account", AccountId) { ["name"] = "Contoso" });

            Assert.AreEqual("child of Contoso", ContactsOf(org, AccountId).GetAttributeValue<string>("lastname"));
            Assert.AreEqual(1, org.CountRoundTrips(PostCreateChild));
        }

        [TestMethod]
        public void ExecutePluginWith_PluginThrows_SurfacesAsFault()
        {
            var org = TestOrganization.Bare();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.ExecutePluginWithTarget<RejectNamePlugin>(new Entity("account") { ["name"] = "reject" }, "Create", 10));

            StringAssert.Contains(fault.Detail.Message, "refused");
        }

        [TestMethod]
        public void Retrieve_WithStepsOnOtherMessages_DoesNotRunThem()
        {
            var org = TestOrganization.WithSolution();
            org.Initialize(new Entity("account", AccountId) { ["name"] = "Contoso" });

            org.GetOrganizationService().Retrieve("account", AccountId, new ColumnSet(true));

            Assert.AreEqual(0, org.Traces.Count);
        }
    }
}
