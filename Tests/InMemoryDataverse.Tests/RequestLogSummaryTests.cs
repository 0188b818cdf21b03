using System.Threading;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Tests
{
    /// <summary>
    /// The request log keeps a compact summary of each request by default, and the request objects themselves (with the
    /// caller's entities and queries) only when a test turns KeepRequestsInLog on.
    /// </summary>
    [TestClass]
    public sealed class RequestLogSummaryTests
    {
        private static readonly Guid AccountId = new Guid("10900000-0000-4000-8000-000000000001");

        [TestMethod]
        public void Summary_ByDefault_HasTheFactsButNotTheRequest()
        {
            var org = TestOrganization.Bare();
            var service = org.CreateOrganizationService(TestOrganization.Alice);

            service.Create(new Entity("account", AccountId) { ["name"] = "Contoso" });
            service.Retrieve("account", AccountId, new ColumnSet("name"));

            var retrieve = org.RequestLog[1];
            Assert.AreEqual(2, retrieve.Sequence);
            Assert.AreEqual("Retrieve", retrieve.MessageName);
            Assert.AreEqual("account", retrieve.EntityName);
            Assert.AreEqual(AccountId, retrieve.EntityId);
            Assert.AreEqual(1, retrieve.Depth);
            Assert.AreEqual(TestOrganization.Alice, retrieve.UserId);
            Assert.IsFalse(retrieve.FromPlugin);
            Assert.IsTrue(retrieve.Succeeded);
            var refused = Assert.ThrowsExactly<InvalidOperationException>(() => retrieve.Request);
            StringAssert.Contains(refused.Message, "KeepRequestsInLog");
        }

        [TestMethod]
        public void KeepRequestsInLog_On_KeepsTheCallersRequestObject()
        {
            var org = TestOrganization.Bare();
            org.KeepRequestsInLog = true;
            var request = new CreateRequest { Target = new Entity("account", AccountId) { ["name"] = "Contoso" } };

            org.GetOrganizationService().Execute(request);

            Assert.AreSame(request, org.RequestLog.Single().Request);
        }

        [TestMethod]
        public void Summary_ByDefault_LetsTheRequestsAndTheCallersObjectsGo()
        {
            var org = TestOrganization.Bare();
            var kept = RunOnAThreadOfItsOwn(org);

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();

            Assert.AreEqual(3, org.RequestLog.Count, "all three are in the log");
            Assert.IsFalse(kept.Any(k => k.IsAlive), "no request, target or query is kept alive by the organization");
        }

        [TestMethod]
        public void Failure_OfARequest_IsInItsSummary()
        {
            var org = TestOrganization.Bare();
            var service = org.GetOrganizationService();
            service.Create(new Entity("account", AccountId));

            Assert.ThrowsExactly<System.ServiceModel.FaultException<OrganizationServiceFault>>(() => service.Create(new Entity("account", AccountId)));

            Assert.IsTrue(org.RequestLog[0].Succeeded);
            Assert.AreEqual(ErrorCodes.DuplicateRecord, ((System.ServiceModel.FaultException<OrganizationServiceFault>)org.RequestLog[1].Failure!).Detail.ErrorCode);
        }

        [TestMethod]
        public void Log_ManyRequests_InOrderAcrossBlocksAndASnapshotOutlivesClear()
        {
            var org = TestOrganization.Bare();
            var service = org.GetOrganizationService();
            var ids = Enumerable.Range(0, 1_300).Select(_ => service.Create(new Entity("contact", Guid.NewGuid()))).ToList();

            var snapshot = org.RequestLog;
            org.ClearRequestLog();
            service.Retrieve("contact", ids[0], new ColumnSet(false));

            Assert.AreEqual(1_300, snapshot.Count);
            CollectionAssert.AreEqual(ids, snapshot.Select(r => r.EntityId!.Value).ToList(), "every Create, in order");
            CollectionAssert.AreEqual(Enumerable.Range(1, 1_300).ToList(), snapshot.Select(r => r.Sequence).ToList());
            Assert.AreEqual("Retrieve", org.RequestLog.Single().MessageName);
            Assert.AreEqual(1, org.CountRequests("retrieve", "contact"), "message names compare case-insensitively");
            Assert.AreEqual(0, org.CountRequests("Create"));
        }

        /// <summary>A Create, a Retrieve and a RetrieveMultiple made on another thread, which ends: its stack holds nothing after.</summary>
        private static List<WeakReference> RunOnAThreadOfItsOwn(InMemoryOrganization org)
        {
            var kept = new List<WeakReference>();
            var thread = new Thread(() =>
            {
                var service = org.GetOrganizationService();
                var target = new Entity("account", AccountId) { ["name"] = "Contoso" };
                var create = new CreateRequest { Target = target };
                var retrieve = new RetrieveRequest { Target = new EntityReference("account", AccountId), ColumnSet = new ColumnSet("name") };
                var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
                var retrieveMultiple = new RetrieveMultipleRequest { Query = query };
                service.Execute(create);
                service.Execute(retrieve);
                service.Execute(retrieveMultiple);
                kept.AddRange(new object[] { target, create, retrieve, query, retrieveMultiple }.Select(o => new WeakReference(o)));
            });
            thread.Start();
            thread.Join();
            return kept;
        }
    }
}
