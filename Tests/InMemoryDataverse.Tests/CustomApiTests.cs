using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse.Tests
{
    [TestClass]
    public sealed class CustomApiTests
    {
        private const string EchoPlugin = "InMemoryDataverse.Tests.TestPlugins.EchoApiPlugin";

        private static OrganizationRequest Echo(string text, object? count = null)
        {
            var request = new OrganizationRequest("test_Echo") { ["Text"] = text };
            if (count != null)
            {
                request["Count"] = count;
            }

            return request;
        }

        [TestMethod]
        public void Execute_CustomApi_DispatchesToPluginAtStage30WithTypedOutputs()
        {
            var org = TestOrganization.WithSolution();

            var response = org.GetOrganizationService().Execute(Echo("hello", 21));

            Assert.AreEqual("test_Echo", response.ResponseName);
            Assert.AreEqual("hello (stage 30)", response["Echo"]);
            Assert.AreEqual(42, response["Doubled"]);
        }

        [TestMethod]
        public void Execute_CustomApiOptionalParameterOmitted_Succeeds()
        {
            var org = TestOrganization.WithSolution();

            Assert.AreEqual(0, org.GetOrganizationService().Execute(Echo("hello"))["Doubled"]);
        }

        [TestMethod]
        public void Execute_CustomApiRequiredParameterMissing_Faults()
        {
            var org = TestOrganization.WithSolution();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Execute(new OrganizationRequest("test_Echo") { ["Count"] = 1 }));

            StringAssert.Contains(fault.Detail.Message, "'Text'");
        }

        [TestMethod]
        public void Execute_CustomApiUnknownParameter_Faults()
        {
            var org = TestOrganization.WithSolution();
            var request = Echo("hello");
            request["Bogus"] = "x";

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => org.GetOrganizationService().Execute(request));

            StringAssert.Contains(fault.Detail.Message, "'Bogus'");
        }

        [TestMethod]
        public void Execute_CustomApiParameterWrongType_Faults()
        {
            var org = TestOrganization.WithSolution();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => org.GetOrganizationService().Execute(Echo("hello", "21")));

            StringAssert.Contains(fault.Detail.Message, "Integer");
        }

        [TestMethod]
        public void Execute_CustomApiPluginSetsWrongOutputType_Faults()
        {
            var org = TestOrganization.WithSolution();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => org.GetOrganizationService().Execute(Echo("wrong-type")));

            StringAssert.Contains(fault.Detail.Message, "'Doubled'");
        }

        [TestMethod]
        public void Execute_PrivilegedApiUserWithoutPrivilege_FaultsPrivilegeDenied()
        {
            var org = TestOrganization.WithSolution();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.CreateOrganizationService(TestOrganization.Alice).Execute(new OrganizationRequest("test_Guarded")));

            Assert.AreEqual(unchecked((int)0x80040220), fault.Detail.ErrorCode);
            StringAssert.Contains(fault.Detail.Message, "prvTestGuarded");
        }

        [TestMethod]
        public void Execute_PrivilegedApiUserWithRoleFromSolution_Succeeds()
        {
            var org = TestOrganization.WithSolution();
            org.AssignRole(TestOrganization.Alice, "Test Guard Role");

            var response = org.CreateOrganizationService(TestOrganization.Alice).Execute(new OrganizationRequest("test_Guarded"));

            Assert.AreEqual(TestOrganization.Alice, response["CallerId"]);
        }

        [TestMethod]
        public void Execute_PrivilegedApiUserWithGrantedPrivilegeOrSystem_Succeeds()
        {
            var org = TestOrganization.WithSolution();
            org.GrantPrivilege(TestOrganization.Bob, "prvTestGuarded");

            Assert.AreEqual(TestOrganization.Bob, org.CreateOrganizationService(TestOrganization.Bob).Execute(new OrganizationRequest("test_Guarded"))["CallerId"]);
            Assert.AreEqual(org.SystemUserId, org.GetOrganizationService().Execute(new OrganizationRequest("test_Guarded"))["CallerId"]);
        }

        [TestMethod]
        public void Execute_CustomApiPluginBatchesReads_ExecuteMultipleCountsAsOneRoundTrip()
        {
            var org = TestOrganization.WithSolution();

            org.GetOrganizationService().Execute(Echo("query"));

            Assert.AreEqual(2, org.CountRoundTrips(EchoPlugin), "one ExecuteMultiple + one WhoAmI");
            Assert.AreEqual(2, org.CountRequests(r => r.IsInner && r.PluginTypeName == EchoPlugin && r.MessageName == "RetrieveMultiple"));
        }

        [TestMethod]
        public void Execute_CustomApiFailureInjected_FaultsBeforePlugin()
        {
            var org = TestOrganization.WithSolution();
            org.FailWhen(r => r.RequestName == "test_Echo", new OrganizationServiceFault { ErrorCode = -1, Message = "down" });

            Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => org.GetOrganizationService().Execute(Echo("hello")));
            org.ClearFailures();

            Assert.AreEqual("hello (stage 30)", org.GetOrganizationService().Execute(Echo("hello"))["Echo"]);
        }
    }
}
