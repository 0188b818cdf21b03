using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace InMemoryDataverse.Tests
{
    [TestClass]
    public sealed class BatchTests
    {
        private static readonly Guid First = new Guid("acc00000-0000-4000-8000-000000000001");
        private static readonly Guid Second = new Guid("acc00000-0000-4000-8000-000000000002");
        private static readonly Guid Missing = new Guid("acc00000-0000-4000-8000-00000000dead");

        private static OrganizationRequestCollection CreateUpdateMissingCreate()
        {
            return new OrganizationRequestCollection
            {
                new CreateRequest { Target = new Entity("account", First) { ["name"] = "first" } },
                new UpdateRequest { Target = new Entity("account", Missing) { ["name"] = "nope" } },
                new CreateRequest { Target = new Entity("account", Second) { ["name"] = "second" } },
            };
        }

        [TestMethod]
        public void ExecuteMultiple_ContinueOnError_RunsAllAndReportsFault()
        {
            var org = TestOrganization.Bare();

            var response = (ExecuteMultipleResponse)org.GetOrganizationService().Execute(new ExecuteMultipleRequest
            {
                Requests = CreateUpdateMissingCreate(),
                Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = true },
            });

            Assert.IsTrue(response.IsFaulted);
            Assert.AreEqual(3, response.Responses.Count);
            Assert.AreEqual(ErrorCodes.ObjectDoesNotExist, response.Responses.Single(r => r.RequestIndex == 1).Fault.ErrorCode);
            Assert.IsNotNull(org.GetRecord("account", Second));
        }

        [TestMethod]
        public void ExecuteMultiple_StopOnError_StopsAtFaultKeepsEarlierWork()
        {
            var org = TestOrganization.Bare();

            var response = (ExecuteMultipleResponse)org.GetOrganizationService().Execute(new ExecuteMultipleRequest
            {
                Requests = CreateUpdateMissingCreate(),
                Settings = new ExecuteMultipleSettings { ContinueOnError = false, ReturnResponses = false },
            });

            Assert.IsTrue(response.IsFaulted);
            Assert.AreEqual(1, response.Responses.Count, "without ReturnResponses only the fault is returned");
            Assert.IsNotNull(org.GetRecord("account", First));
            Assert.IsNull(org.GetRecord("account", Second));
        }

        [TestMethod]
        public void ExecuteMultiple_ReturnResponses_ResponsesCarryResults()
        {
            var org = TestOrganization.Bare();
            var requests = new OrganizationRequestCollection { new CreateRequest { Target = new Entity("account", First) } };

            var response = (ExecuteMultipleResponse)org.GetOrganizationService().Execute(new ExecuteMultipleRequest
            {
                Requests = requests,
                Settings = new ExecuteMultipleSettings { ContinueOnError = false, ReturnResponses = true },
            });

            Assert.AreEqual(First, ((CreateResponse)response.Responses[0].Response).id);
        }

        [TestMethod]
        public void ExecuteTransaction_FaultInMiddle_RollsBackEverything()
        {
            var org = TestOrganization.Bare();

            Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Execute(new ExecuteTransactionRequest { Requests = CreateUpdateMissingCreate() }));

            Assert.IsNull(org.GetRecord("account", First));
            Assert.IsNull(org.GetRecord("account", Second));
        }

        [TestMethod]
        public void ExecuteTransaction_AllSucceed_CommitsAndReturnsResponses()
        {
            var org = TestOrganization.Bare();
            var requests = new OrganizationRequestCollection
            {
                new CreateRequest { Target = new Entity("account", First) },
                new UpdateRequest { Target = new Entity("account", First) { ["name"] = "updated" } },
            };

            var response = (ExecuteTransactionResponse)org.GetOrganizationService().Execute(new ExecuteTransactionRequest { Requests = requests, ReturnResponses = true });

            Assert.AreEqual(2, response.Responses.Count);
            Assert.AreEqual("updated", org.GetRecord("account", First)!.GetAttributeValue<string>("name"));
        }

        [TestMethod]
        public void ExecuteMultiple_InnerRequests_LoggedAsInnerAndOneOuterRequest()
        {
            var org = TestOrganization.Bare();

            org.GetOrganizationService().Execute(new ExecuteMultipleRequest
            {
                Requests = CreateUpdateMissingCreate(),
                Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = false },
            });

            Assert.AreEqual(1, org.CountRequests(r => !r.IsInner));
            Assert.AreEqual(3, org.CountRequests(r => r.IsInner));
        }
    }
}
