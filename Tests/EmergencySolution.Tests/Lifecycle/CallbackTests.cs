using System.ServiceModel;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Lifecycle
{
    /// <summary>emc_ResolveEmergencyCallback (exactly 1 round trip) and emc_ReleaseExpiredCallbackLeases.</summary>
    [TestClass]
    public sealed class CallbackTests : LifecycleTestBase
    {
        [TestMethod]
        [DataRow("+12025550101")]
        [DataRow("12025550101")]
        [DataRow("+1 (202) 555-0101")]
        public void Resolve_LiveLeaseInAnyFormat_MatchedHighestPriorityBypassInOneRoundTrip(string called)
        {
            var org = CreateOrganization();
            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.ClearRequestLog();

            var response = Resolve(org, called);

            Assert.IsTrue((bool)response["Matched"]);
            Assert.AreEqual(OmnichannelSeed.ReadyAgent, (Guid)response["AgentId"]);
            Assert.AreEqual(start.CallId, (Guid)response["EmergencyCallId"]);
            Assert.AreEqual(0, (int)response["Priority"]);
            Assert.IsTrue((bool)response["BypassRouting"]);
            Assert.AreEqual(start.CallbackExpiresOn, (DateTime)response["ExpiresOn"]);
            Assert.AreEqual(1, org.CountRoundTrips(ResolveApiType));
            AssertConfidential(org);
        }

        [TestMethod]
        public void Resolve_AgentWithAnEntraObjectId_ReturnsIt_StillInOneRoundTrip()
        {
            var org = CreateOrganization();
            var objectId = new Guid("0b7ec7a1-0000-4000-8000-0000000000c7");
            org.GetOrganizationService().Update(new Entity("systemuser", OmnichannelSeed.ReadyAgent) { ["azureactivedirectoryobjectid"] = objectId });
            Start(org, OmnichannelSeed.ReadyAgent);
            org.ClearRequestLog();

            var response = Resolve(org, "+12025550101");

            Assert.AreEqual(objectId, (Guid)response["AgentEntraObjectId"]);
            Assert.AreEqual(1, org.CountRoundTrips(ResolveApiType));
        }

        [TestMethod]
        public void Resolve_AgentWithoutAnEntraObjectId_MatchedWithoutIt()
        {
            var org = CreateOrganization();
            Start(org, OmnichannelSeed.ReadyAgent);

            var response = Resolve(org, "+12025550101");

            Assert.IsTrue((bool)response["Matched"]);
            Assert.IsFalse(response.Results.Contains("AgentEntraObjectId"));
        }

        [TestMethod]
        [DataRow("+12025550102")]
        [DataRow("+4570100101")]
        [DataRow("not a number")]
        public void Resolve_FreeUnleasedOrNonNumber_NotMatched(string called)
        {
            var org = CreateOrganization();
            Start(org, OmnichannelSeed.ReadyAgent);

            var response = Resolve(org, called);

            Assert.IsFalse((bool)response["Matched"]);
            Assert.IsFalse((bool)response["BypassRouting"]);
            Assert.IsFalse(response.Results.Contains("AgentId"));
        }

        [TestMethod]
        public void Resolve_AtTheExpiryInstant_NotMatched()
        {
            var org = CreateOrganization();
            Start(org, OmnichannelSeed.ReadyAgent);
            org.AdvanceTime(TimeSpan.FromMinutes(60));

            Assert.IsFalse((bool)Resolve(org, "+12025550101")["Matched"]);
        }

        [TestMethod]
        public void Resolve_CallerWithoutTheRouterRole_Refused()
        {
            var org = CreateOrganization();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                AsAgent(org, OmnichannelSeed.ReadyAgent).Execute(new OrganizationRequest("emc_ResolveEmergencyCallback") { ["CalledNumber"] = "+12025550101" }));

            StringAssert.Contains(fault.Detail.Message, "prvReademc_CallbackNumber");
        }

        [TestMethod]
        public void Resolve_HugeCalledNumber_ClearError()
        {
            var org = CreateOrganization();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => Resolve(org, new string('1', 10000)));

            StringAssert.Contains(fault.Detail.Message, "CalledNumber is 10000 characters long; at most 64 are accepted.");
        }

        [TestMethod]
        public void Release_AfterExpiry_FreesTheNumberAndClearsNumbersFromTheCallRows()
        {
            var org = CreateOrganization(seed => seed.RemoveCallbackNumbers("PR"));
            var leased = Start(org, OmnichannelSeed.ReadyAgent);
            var unleased = Start(org, OmnichannelSeed.DndAgent, country: "PR");
            org.AdvanceTime(TimeSpan.FromMinutes(30));
            var stillLive = Start(org, OmnichannelSeed.NoRecipientsAgent);
            org.AdvanceTime(TimeSpan.FromMinutes(31));
            org.ClearRequestLog();

            var released = (int)AsAdmin(org).Execute(new OrganizationRequest("emc_ReleaseExpiredCallbackLeases"))["ReleasedCount"];

            Assert.AreEqual(1, released, "the US lease of the first call (the seed's expired CA row has no holder to release)");
            var pool = org.GetRecord("emc_callbacknumber", OmnichannelSeed.CallbackUs1)!;
            Assert.IsNull(pool.GetAttributeValue<EntityReference>("emc_emergencycallid"));
            Assert.IsNull(pool.GetAttributeValue<EntityReference>("emc_agentid"));
            Assert.IsNull(pool.GetAttributeValue<DateTime?>("emc_leaseexpireson"));
            foreach (var id in new[] { leased.CallId, unleased.CallId })
            {
                Assert.IsNull(Call(org, id).GetAttributeValue<string>("emc_dialednumber"));
                Assert.IsNull(Call(org, id).GetAttributeValue<EntityReference>("emc_callbacknumberid"));
            }

            Assert.AreEqual("911", Call(org, stillLive.CallId).GetAttributeValue<string>("emc_dialednumber"), "a live lease keeps its numbers");
            Assert.IsTrue((bool)Resolve(org, stillLive.CallbackNumber)["Matched"]);
            Assert.IsFalse((bool)Resolve(org, leased.CallbackNumber)["Matched"]);
            AssertConfidential(org);
        }

        [TestMethod]
        public void Release_AnAgentCaller_Refused()
        {
            var org = CreateOrganization();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                AsAgent(org, OmnichannelSeed.ReadyAgent).Execute(new OrganizationRequest("emc_ReleaseExpiredCallbackLeases")));

            StringAssert.Contains(fault.Detail.Message, "prvWriteemc_CallbackNumber");
        }
    }
}
