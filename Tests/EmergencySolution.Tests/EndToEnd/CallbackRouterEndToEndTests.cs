using System.Globalization;
using System.ServiceModel;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using EmergencySolution.CallbackRouter.Tests.Fakes;
using EmergencySolution.Tests.Lifecycle;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.EndToEnd
{
    /// <summary>
    /// The callback path with every part real but the network's far ends: an agent starts an emergency call through
    /// emc_StartEmergencyCall (a real lease from the pool), a responder calls the callback number back, ACS's
    /// IncomingCall reaches the real router, and the router's Web API request is answered by the real
    /// ResolveEmergencyCallbackApi running in the in-memory Dataverse as the Emergency Callback Router user (the lease
    /// and the agent's Entra object id in one query). Only ACS and the Web API's HTTP framing are fakes.
    /// </summary>
    [TestClass]
    public sealed class CallbackRouterEndToEndTests : LifecycleTestBase
    {
        private static readonly Guid AgentEntraObjectId = new Guid("0b7ec7a1-0000-4000-8000-00000000e2e1");

        [TestMethod]
        public async Task ResponderCallsBack_RouterRedirectsToTheAgent_UntilTheLeaseExpires()
        {
            var (org, start) = StartEmergencyCall();
            var callbackNumber = start.CallbackNumber!;
            await using var router = await StartRouterAsync(org);

            var duringLease = await router.PostForOutcomeAsync(Events.IncomingCall(callbackNumber, "+12025550199", "e2e-during-lease", "ctx-e2e-1"));

            Assert.AreEqual("RedirectedToAgent", Outcome(duringLease), duringLease.ToJsonString());
            var redirect = JsonNode.Parse(router.Acs.Redirects.Single().BodyText)!;
            Assert.AreEqual("8:orgid:" + AgentEntraObjectId, redirect["target"]!["rawId"]!.GetValue<string>());
            Assert.AreEqual("ctx-e2e-1", redirect["incomingCallContext"]!.GetValue<string>());

            // The agent ends the call: the lease runs on, because the responder may still call back.
            AsAgent(org, OmnichannelSeed.ReadyAgent).Execute(new OrganizationRequest("emc_EndEmergencyCall") { ["EmergencyCallId"] = start.CallId });
            var afterEnd = await router.PostForOutcomeAsync(Events.IncomingCall(callbackNumber, "+12025550199", "e2e-after-end", "ctx-e2e-2"));
            Assert.AreEqual("RedirectedToAgent", Outcome(afterEnd), afterEnd.ToJsonString());

            // Past the lease, the number is an ordinary pool number again and the normal routing takes its calls.
            org.AdvanceTime(TimeSpan.FromMinutes(61));
            var afterExpiry = await router.PostForOutcomeAsync(Events.IncomingCall(callbackNumber, "+12025550199", "e2e-after-expiry", "ctx-e2e-3"));
            Assert.AreEqual("Ignored", Outcome(afterExpiry), afterExpiry.ToJsonString());
            Assert.AreEqual(2, router.Acs.AcceptedTargets.Count);
            AssertConfidential(org);
        }

        [TestMethod]
        public async Task ShippedRouterRole_WithoutAnyOneOfItsPrivileges_ResolveRefused_CallStillReachesTheFallback()
        {
            // The shipped role is enough (the test above); here each of its privileges is shown to be needed, so the
            // role reads only what Resolve needs. Read from the XML that is imported, not restated.
            var privileges = XElement.Load(Path.Combine(SolutionUnderTest.SolutionSourceFolder, "Roles", "Emergency Callback Router.xml"))
                .Descendants("RolePrivilege").Select(p => p.Attribute("name")!.Value).ToList();
            Assert.IsTrue(privileges.Count > 0);

            foreach (var leftOut in privileges)
            {
                var (org, start) = StartEmergencyCall();
                org.DefineRole("Router without " + leftOut, Guid.NewGuid(), privileges.Where(p => p != leftOut).ToArray());
                await using var router = await StartRouterAsync(org, role: "Router without " + leftOut);

                var outcome = await router.PostForOutcomeAsync(Events.IncomingCall(start.CallbackNumber!, "+12025550199", "e2e-without-" + leftOut, "ctx-e2e-4"));

                Assert.AreEqual("RedirectedToFallback", Outcome(outcome), leftOut + " is not needed: " + outcome.ToJsonString());
                Assert.AreEqual(1, router.Dataverse.ResolveRequests.Count(), "a refused request is not retried");
                CollectionAssert.AreEqual(new[] { RouterHarness.FallbackRawId }, router.Acs.AcceptedTargets);
            }
        }

        [TestMethod]
        public async Task AdministratorRole_MayRunResolve_ItAnswersNothingTheRoleCannotReadAnyway()
        {
            // Resolve's execute privilege is prvReademc_CallbackNumber, which administrators hold to maintain the
            // pool. Resolve runs as its caller, and an administrator reads the pool and users organization-wide
            // anyway, so running it shows them nothing new. Agents lack that privilege (the next test).
            var (org, start) = StartEmergencyCall();
            await using var router = await StartRouterAsync(org, role: "Emergency Calling Administrator");

            var outcome = await router.PostForOutcomeAsync(Events.IncomingCall(start.CallbackNumber!, "+12025550199", "e2e-admin", "ctx-e2e-6"));

            Assert.AreEqual("RedirectedToAgent", Outcome(outcome), outcome.ToJsonString());
        }

        [TestMethod]
        public async Task CallerWithoutTheRouterRole_ResolveRefused_CallStillReachesTheFallback()
        {
            var (org, start) = StartEmergencyCall();
            await using var router = await StartRouterAsync(org, role: "Emergency Calling Agent");

            var outcome = await router.PostForOutcomeAsync(Events.IncomingCall(start.CallbackNumber!, "+12025550199", "e2e-no-role", "ctx-e2e-5"));

            Assert.AreEqual("RedirectedToFallback", Outcome(outcome), outcome.ToJsonString());
            Assert.AreEqual(1, router.Dataverse.ResolveRequests.Count(), "a refused request is not retried");
            CollectionAssert.AreEqual(new[] { RouterHarness.FallbackRawId }, router.Acs.AcceptedTargets);
        }

        /// <summary>
        /// Starts the router with its Dataverse fake answering from <paramref name="org"/>: Resolve executed as a
        /// user holding only <paramref name="role"/>. A missing privilege answers an error, as the Web API does.
        /// </summary>
        private static async Task<RouterHarness> StartRouterAsync(InMemoryOrganization org, string role = "Emergency Callback Router")
        {
            // Table privileges are enforced from here on, so the router user's role alone decides what it may read.
            org.EnforceTablePrivileges = true;
            var routerUser = new Guid("a4000000-0000-4000-8000-0000000000e2");
            org.AssignRole(routerUser, role);
            var service = org.CreateOrganizationService(routerUser);
            var gate = new object();
            var router = await RouterHarness.StartAsync();
            router.Dataverse.ResolveHandler = body =>
            {
                var request = new OrganizationRequest("emc_ResolveEmergencyCallback") { ["CalledNumber"] = body["CalledNumber"]!.GetValue<string>() };
                if (body["CallerNumber"] is { } caller)
                {
                    request["CallerNumber"] = caller.GetValue<string>();
                }

                try
                {
                    OrganizationResponse response;
                    lock (gate)
                    {
                        response = service.Execute(request);
                    }

                    var json = new JsonObject();
                    foreach (var result in response.Results)
                    {
                        json[result.Key] = result.Value switch
                        {
                            bool flag => flag,
                            int number => number,
                            Guid id => id.ToString("D"),
                            DateTime moment => moment.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                            _ => result.Value?.ToString(),
                        };
                    }

                    return json;
                }
                catch (FaultException<OrganizationServiceFault> fault)
                {
                    return new JsonObject { ["error"] = new JsonObject { ["code"] = "0x" + fault.Detail.ErrorCode.ToString("x8", CultureInfo.InvariantCulture), ["message"] = fault.Detail.Message } };
                }
            };
            return router;
        }

        /// <summary>
        /// The ready agent (with a Teams identity) starts an emergency call. The organization's clock is set to now,
        /// because the router checks a lease's expiry against its own clock too.
        /// </summary>
        private (InMemoryOrganization Org, StartResult Start) StartEmergencyCall()
        {
            var org = CreateOrganization();
            org.UtcNow = TruncateToSeconds(DateTime.UtcNow);
            org.GetOrganizationService().Update(new Entity("systemuser", OmnichannelSeed.ReadyAgent) { ["azureactivedirectoryobjectid"] = AgentEntraObjectId });
            return (org, Start(org, OmnichannelSeed.ReadyAgent));
        }

        private static string Outcome(JsonObject body) => body["calls"]!.AsArray().Single()!["outcome"]!.GetValue<string>();

        private static DateTime TruncateToSeconds(DateTime value) => new DateTime(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
