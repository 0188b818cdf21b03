using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Tests
{
    [TestClass]
    public sealed class RequestLogAndFaultInjectionTests
    {
        private static readonly Guid AccountId = new Guid("acc00000-0000-4000-8000-000000000001");

        [TestMethod]
        public void RequestLog_CallFromOutside_RecordsMessageEntityDepthAndUser()
        {
            var org = TestOrganization.Bare();

            org.CreateOrganizationService(TestOrganization.Alice).Create(new Entity("account", AccountId));

            var entry = org.RequestLog.Single();
            Assert.AreEqual("Create", entry.MessageName);
            Assert.AreEqual("account", entry.EntityName);
            Assert.AreEqual(AccountId, entry.EntityId);
            Assert.AreEqual(1, entry.Depth);
            Assert.AreEqual(TestOrganization.Alice, entry.UserId);
            Assert.IsFalse(entry.FromPlugin);
            Assert.IsFalse(entry.IsInner);
        }

        [TestMethod]
        public void RequestLog_QueryKinds_RecordEntityName()
        {
            var org = TestOrganization.Bare();
            var service = org.GetOrganizationService();

            service.RetrieveMultiple(new QueryExpression("account"));
            service.RetrieveMultiple(new QueryByAttribute("contact"));
            service.RetrieveMultiple(new FetchExpression("<fetch><entity name='lead'><attribute name='subject'/></entity></fetch>"));

            CollectionAssert.AreEqual(new[] { "account", "contact", "lead" }, org.RequestLog.Select(r => r.EntityName).ToArray());
        }

        [TestMethod]
        public void ClearRequestLog_AfterSetup_CountsOnlyLaterRequests()
        {
            var org = TestOrganization.Bare();
            var service = org.GetOrganizationService();
            service.Create(new Entity("account", AccountId));
            org.ClearRequestLog();

            service.Retrieve("account", AccountId, new ColumnSet(true));

            Assert.AreEqual(1, org.CountRequests("Retrieve"));
            Assert.AreEqual(0, org.CountRequests("Create"));
        }

        [TestMethod]
        public void FailWhen_ExceptionForMatchingRequestsOnly_ThrowsItAndLogsTheAttempt()
        {
            var org = TestOrganization.Bare();
            var service = org.GetOrganizationService();
            org.FailWhen(r => r.RequestName == "Create" && ((Entity)r["Target"]).LogicalName == "email", new TimeoutException("SMTP relay timed out"));

            service.Create(new Entity("account", AccountId));
            var exception = Assert.ThrowsExactly<TimeoutException>(() => service.Create(new Entity("email")));

            Assert.AreEqual("SMTP relay timed out", exception.Message);
            Assert.AreEqual(2, org.CountRequests("Create"));
            Assert.AreEqual(0, org.GetRecords("email").Count);
        }

        [TestMethod]
        public void FailWhen_FaultInsidePluginCall_PluginSeesFault()
        {
            var org = TestOrganization.WithSolution();
            org.FailWhen(r => r.RequestName == "Create" && ((Entity)r["Target"]).LogicalName == "contact", new OrganizationServiceFault { ErrorCode = ErrorCodes.PrivilegeDenied, Message = "no create on contact" });

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Create(new Entity("account", AccountId) { ["name"] = "Contoso" }));

            Assert.AreEqual(ErrorCodes.PrivilegeDenied, fault.Detail.ErrorCode);
            Assert.IsNull(org.GetRecord("account", AccountId), "the account create is rolled back with the failed plugin");
        }

        [TestMethod]
        public void Traces_PluginTraces_CapturedAndClearable()
        {
            var org = TestOrganization.WithSolution();
            org.GetOrganizationService().Create(new Entity("account", AccountId) { ["name"] = "Contoso" });
            Assert.AreEqual(1, org.TracesOf("post-create-account").Length);

            org.ClearTraces();

            Assert.AreEqual(0, org.Traces.Count);
        }

        [TestMethod]
        public void RequestLog_FailedRequest_RecordsFailure()
        {
            var org = TestOrganization.Bare();
            var service = org.GetOrganizationService();
            service.Create(new Entity("account", AccountId));

            Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => service.Create(new Entity("account", AccountId)));

            Assert.IsTrue(org.RequestLog[0].Succeeded);
            Assert.IsFalse(org.RequestLog[1].Succeeded);
            Assert.AreEqual(ErrorCodes.DuplicateRecord, ((FaultException<OrganizationServiceFault>)org.RequestLog[1].Failure!).Detail.ErrorCode);
        }

        [TestMethod]
        public void TraceLog_PluginTrace_NamesPluginAndDepth()
        {
            var org = TestOrganization.WithSolution();

            org.GetOrganizationService().Create(new Entity("account", AccountId) { ["name"] = "Contoso" });

            var entry = org.TraceLog.Single(t => t.Text.StartsWith("[post-create-account]", StringComparison.Ordinal));
            Assert.AreEqual("InMemoryDataverse.Tests.TestPlugins.TraceContextPlugin", entry.PluginTypeName);
            Assert.AreEqual(1, entry.Depth);
        }

        [TestMethod]
        public void Clock_AsTimeSource_FollowsUtcNow()
        {
            var org = TestOrganization.Bare();
            ITimeSource clock = org.Clock;

            org.UtcNow = new DateTime(2026, 2, 2, 2, 2, 2, DateTimeKind.Utc);

            Assert.AreEqual(new DateTime(2026, 2, 2, 2, 2, 2, DateTimeKind.Utc), clock.UtcNow);
        }
    }
}
