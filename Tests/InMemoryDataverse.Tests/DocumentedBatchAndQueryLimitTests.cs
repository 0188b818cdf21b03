using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace InMemoryDataverse.Tests
{
    /// <summary>
    /// Batch faults and query limits read from Microsoft's documentation; each test names its page (on learn.microsoft.com).
    /// </summary>
    [TestClass]
    public sealed class DocumentedBatchAndQueryLimitTests
    {
        private static readonly Guid First = new Guid("d0c00000-0000-4000-8000-0000000000e1");
        private static readonly Guid Second = new Guid("d0c00000-0000-4000-8000-0000000000e2");

        // ---------------------------------------------------------------- power-apps/developer/data-platform/org-service/use-executetransaction

        /// <summary>
        /// "Should any one of the requests fail and the transaction is rolled back, any data changes completed during the
        /// transaction are undone. In addition, a ExecuteTransactionFault is returned identifying the index into the
        /// request collection of the request message that caused the fault." The page's sample casts
        /// FaultException&lt;OrganizationServiceFault&gt;.Detail to ExecuteTransactionFault and reads FaultedRequestIndex.
        /// </summary>
        [TestMethod]
        public void ExecuteTransaction_ARequestFails_ExecuteTransactionFaultWithItsIndexAndNothingSaved()
        {
            var org = TestOrganization.Bare();
            var requests = new OrganizationRequestCollection
            {
                new CreateRequest { Target = new Entity("account", First) },
                new CreateRequest { Target = new Entity("account", Second) },
                new UpdateRequest { Target = new Entity("account", Guid.NewGuid()) { ["name"] = "missing" } },
                new CreateRequest { Target = new Entity("account") },
            };

            var thrown = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Execute(new ExecuteTransactionRequest { Requests = requests }));

            var fault = thrown.Detail as ExecuteTransactionFault;
            Assert.IsNotNull(fault, "the Detail is an ExecuteTransactionFault");
            Assert.AreEqual(2, fault.FaultedRequestIndex, "the Update of a missing row is the third request");
            Assert.AreEqual(ErrorCodes.ObjectDoesNotExist, fault.ErrorCode, "the failed request's own error code");
            StringAssert.Contains(fault.Message, "Does Not Exist");
            Assert.IsNull(org.GetRecord("account", First));
            Assert.IsNull(org.GetRecord("account", Second));
            Assert.AreEqual(0, org.GetRecords("account").Count);
        }

        /// <summary>"An ExecuteTransactionRequest instance may not contain a ExecuteMultipleRequest or ExecuteTransactionRequest": the nested one is the faulted index.</summary>
        [TestMethod]
        public void ExecuteTransaction_ContainingABatch_FaultsAtThatIndex()
        {
            var org = TestOrganization.Bare();
            var requests = new OrganizationRequestCollection
            {
                new CreateRequest { Target = new Entity("account", First) },
                new ExecuteMultipleRequest { Requests = new OrganizationRequestCollection(), Settings = new ExecuteMultipleSettings() },
            };

            var thrown = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Execute(new ExecuteTransactionRequest { Requests = requests }));

            Assert.AreEqual(1, ((ExecuteTransactionFault)thrown.Detail).FaultedRequestIndex);
            Assert.IsNull(org.GetRecord("account", First));
        }
    }
}
