using System.ServiceModel;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Readiness
{
    /// <summary>
    /// emc_GetEmergencyReadiness through the registered custom API, as an agent or admin calls it. Budget: 3 round
    /// trips (configuration + direct-routing patterns, agent snapshot, callback pool probe); 2 when the country is not
    /// supported (no pool probe).
    /// </summary>
    [TestClass]
    public sealed class GetEmergencyReadinessTests
    {
        private const string Api = "emc_GetEmergencyReadiness";
        private const string PluginType = "EmergencySolution.CustomApis.GetEmergencyReadinessApi";
        private const string DirectRoutingVariable = "emc_DirectRoutingNumberPatterns";

        [TestMethod]
        public void Readiness_ReadyAgentInUsWithCallingPlan_ReadyWithNoChecksInThreeRoundTrips()
        {
            var org = SolutionUnderTest.Create();

            var (ready, checks) = Check(org, OmnichannelSeed.ReadyAgent, OmnichannelSeed.ReadyAgent, "US", "CallingPlan");

            Assert.IsTrue(ready, string.Join(Environment.NewLine, checks));
            Assert.AreEqual(0, checks.Length);
            Assert.AreEqual(3, org.CountRoundTrips(PluginType));
            Assert.AreEqual(3, org.CountRequests(r => r.IsRoundTripFromPlugin && r.MessageName == "RetrieveMultiple"));
            Assert.AreEqual(1, org.CountRequests(r => r.IsRoundTripFromPlugin && r.EntityName == "systemuser"), "the agent is read in one query");
            Assert.AreEqual(1, org.CountRequests(r => r.IsRoundTripFromPlugin && r.EntityName == "environmentvariabledefinition"));
            Assert.AreEqual(1, org.CountRequests(r => r.IsRoundTripFromPlugin && r.EntityName == "emc_callbacknumber"));
        }

        [TestMethod]
        public void Readiness_AgentIdOmitted_ChecksTheCaller()
        {
            var org = SolutionUnderTest.Create();
            var request = new OrganizationRequest(Api) { ["CountryCode"] = "US", ["OriginNumberType"] = "CallingPlan" };

            var response = AsAgent(org, OmnichannelSeed.NoProfileAgent).Execute(request);

            Assert.IsFalse((bool)response["Ready"]);
            StringAssert.Contains(Single((string[])response["Checks"]), "Noor Noprofile has no active capacity profile");
        }

        [TestMethod]
        public void Readiness_NoCapacityProfile_SaysSoAndWhereToAssignOne()
        {
            var org = SolutionUnderTest.Create();

            var (ready, checks) = CheckAsAdmin(org, OmnichannelSeed.NoProfileAgent, "US", "CallingPlan");

            Assert.IsFalse(ready);
            var line = Single(checks);
            StringAssert.Contains(line, "Noor Noprofile has no active capacity profile.");
            StringAssert.Contains(line, "voice outbound profile");
            StringAssert.Contains(line, "Capacity profiles");
        }

        [TestMethod]
        public void Readiness_InboundOnlyVoiceProfile_NamesTheProfileAndTheInboundWorkstream()
        {
            var org = SolutionUnderTest.Create();

            var (ready, checks) = CheckAsAdmin(org, OmnichannelSeed.InboundOnlyAgent, "US", "CallingPlan");

            Assert.IsFalse(ready);
            var line = Single(checks);
            StringAssert.Contains(line, "Ines Inbound's capacity profiles ('Default voice inbound') are used only by inbound voice profiles ('Voice inbound')");
            StringAssert.Contains(line, "Add one of these capacity profiles to a voice outbound profile.");
        }

        [TestMethod]
        public void Readiness_NonVoiceProfile_SaysItIsUsedOnlyByNonVoiceWorkstreams()
        {
            var org = SolutionUnderTest.Create();

            var (_, checks) = CheckAsAdmin(org, OmnichannelSeed.ChatOnlyAgent, "US", "CallingPlan");

            StringAssert.Contains(Single(checks), "Chen Chat's capacity profiles ('Chat') are used only by non-voice workstreams ('Live chat')");
        }

        [TestMethod]
        public void Readiness_ProfilesWithNoActiveWorkstream_SaysTheyAreUnused()
        {
            var org = SolutionUnderTest.Create();

            var (_, checks) = CheckAsAdmin(org, OmnichannelSeed.UnusedProfileAgent, "US", "CallingPlan");

            StringAssert.Contains(Single(checks), "Uma Unused's capacity profiles ('Unused', 'Retired outbound') are not used by any active outbound or inbound profile");
        }

        [TestMethod]
        public void Readiness_InactiveBookableResourceProfileRow_CountsAsNoProfile()
        {
            var org = SolutionUnderTest.Create();
            var system = org.GetOrganizationService();
            var assignment = org.GetRecords("msdyn_bookableresourcecapacityprofile")
                .Single(r => r.GetAttributeValue<EntityReference>("msdyn_bookableresourceid").Id == ReadyAgentResource(org));
            system.Update(new Entity(assignment.LogicalName, assignment.Id) { ["statecode"] = new OptionSetValue(1) });
            org.ClearRequestLog();

            var (_, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "US", "CallingPlan");

            StringAssert.Contains(Single(checks), "Avery Ready has no active capacity profile.");
        }

        [TestMethod]
        public void Readiness_UnsupportedCountry_ListsSupportedCountriesAndSkipsThePoolProbe()
        {
            var org = SolutionUnderTest.Create();

            var (ready, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "FR", "CallingPlan");

            Assert.IsFalse(ready);
            Assert.AreEqual("Country 'FR' is not supported for emergency calls. Supported countries: CA, DK, GB, PR, US (environment variable emc_EmergencyNumbers).",
                Single(checks));
            Assert.AreEqual(3, org.CountRoundTrips(PluginType), "the permission check, the configuration and the agent");
            Assert.AreEqual(0, org.CountRequests(r => r.MessageName == "RetrieveMultiple" && r.EntityName == "emc_callbacknumber" && r.UserId == org.SystemUserId),
                "no pool probe (the admin's permission check reads the pool as the admin)");
        }

        [TestMethod]
        public void Readiness_LowerCaseSupportedCountry_IsAccepted()
        {
            var org = SolutionUnderTest.Create();

            var (ready, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "gb", "CallingPlan");

            Assert.IsTrue(ready, string.Join(Environment.NewLine, checks));
        }

        [TestMethod]
        public void Readiness_EmptyCountry_SaysNoCountryWasGiven()
        {
            var org = SolutionUnderTest.Create();

            var (_, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "", "CallingPlan");

            StringAssert.StartsWith(Single(checks), "No country was given (CountryCode).");
        }

        [TestMethod]
        public void Readiness_DisabledMailboxWithRecipients_SaysItIsNotEnabledForOutgoingEmail()
        {
            var org = SolutionUnderTest.Create();

            var (ready, checks) = CheckAsAdmin(org, OmnichannelSeed.DisabledMailboxAgent, "US", "CallingPlan");

            Assert.IsFalse(ready);
            StringAssert.Contains(Single(checks), "The mailbox 'Dana Disabled' of Dana Disabled is not enabled for outgoing email");
        }

        [TestMethod]
        public void Readiness_UnapprovedMailbox_SaysTheAddressIsNotApproved()
        {
            var org = SolutionUnderTest.Create();

            var (_, checks) = CheckAsAdmin(org, OmnichannelSeed.UnapprovedMailboxAgent, "US", "CallingPlan");

            StringAssert.Contains(Single(checks), "does not have an approved email address");
        }

        [TestMethod]
        public void Readiness_RecipientsButNoMailbox_SaysTheEmailCannotBeSent()
        {
            var org = SolutionUnderTest.Create();

            var (_, checks) = CheckAsAdmin(org, OmnichannelSeed.NoMailboxAgent, "US", "CallingPlan");

            StringAssert.Contains(Single(checks), "Nia Nomailbox has notification recipients but no mailbox");
        }

        [TestMethod]
        public void Readiness_NoRecipientsAndNoMailbox_IsReady()
        {
            var org = SolutionUnderTest.Create();

            var (ready, checks) = CheckAsAdmin(org, OmnichannelSeed.NoRecipientsAgent, "US", "CallingPlan");

            Assert.IsTrue(ready, string.Join(Environment.NewLine, checks));
        }

        [TestMethod]
        public void Readiness_StoredRecipientsInvalid_ListsEveryBadEntry()
        {
            // A value saved before the solution was installed never went through the save-time plugin.
            var org = SolutionUnderTest.Create(seed => seed.Agent(OmnichannelSeed.ReadyAgent).Recipients = "ok@contoso.com;bob@example;x y@contoso.com");

            var (_, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "US", "CallingPlan");

            var line = Single(checks);
            StringAssert.Contains(line, "Avery Ready's Emergency Call Notifications list (Omnichannel tab of the user) has problems:");
            StringAssert.Contains(line, "\"bob@example\" — the domain must contain a dot [invalid-domain]");
            StringAssert.Contains(line, "\"x y@contoso.com\" — it contains a space");
        }

        [TestMethod]
        public void Readiness_NoNumbersInPoolForCountry_SaysThePoolIsEmpty()
        {
            var org = SolutionUnderTest.Create();

            var (ready, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "PR", "CallingPlan");

            Assert.IsFalse(ready);
            StringAssert.StartsWith(Single(checks), "The callback number pool has no free number for PR");
        }

        [TestMethod]
        public void Readiness_OnlyNumberHasLiveLease_SaysThePoolIsEmpty()
        {
            var org = SolutionUnderTest.Create();

            var (_, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "DK", "CallingPlan");

            StringAssert.StartsWith(Single(checks), "The callback number pool has no free number for DK");
        }

        [TestMethod]
        public void Readiness_OnlyNumberHasExpiredLease_CountsAsFree()
        {
            var org = SolutionUnderTest.Create();

            var (ready, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "CA", "CallingPlan");

            Assert.IsTrue(ready, string.Join(Environment.NewLine, checks));
        }

        [TestMethod]
        public void Readiness_LeaseExpiresExactlyNow_CountsAsFree()
        {
            var org = SolutionUnderTest.Create(seed => seed.RemoveCallbackNumbers("DK")
                .AddCallbackNumber(new Guid("b3000000-0000-4000-8000-000000000001"), "+4570100199", "DK", seed.UtcNow));

            var (ready, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "DK", "CallingPlan");

            Assert.IsTrue(ready, string.Join(Environment.NewLine, checks));
        }

        [TestMethod]
        public void Readiness_DirectOfferWithoutDirectRoutingRules_IsReady()
        {
            var org = SolutionUnderTest.Create();

            var (ready, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "US", "DirectOffer");

            Assert.IsTrue(ready, string.Join(Environment.NewLine, checks));
            Assert.AreEqual(4, org.CountRoundTrips(PluginType), "the permission check + 3: the direct-routing patterns ride on the configuration query");
        }

        [TestMethod]
        public void Readiness_DirectOfferWithRuleForOtherNumbers_IsReady()
        {
            var org = SolutionUnderTest.Create();
            SolutionUnderTest.SetEnvironmentVariable(org, DirectRoutingVariable, "[\"^\\\\+1800\\\\d+$\"]");

            var (ready, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "US", "DirectOffer");

            Assert.IsTrue(ready, string.Join(Environment.NewLine, checks));
        }

        [TestMethod]
        public void Readiness_DirectOfferWithRuleCoveringTheEmergencyNumber_SaysTheCarrierMustHandleIt()
        {
            // The current value overrides the shipped default ([]), as on the platform.
            var org = SolutionUnderTest.Create();
            SolutionUnderTest.SetEnvironmentVariable(org, DirectRoutingVariable, "[\"^\\\\+1800\\\\d+$\", \"^\\\\+?(911|112)$\"]");

            var (ready, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "GB", "DirectOffer");

            Assert.IsFalse(ready);
            Assert.AreEqual(1, checks.Length, string.Join(Environment.NewLine, checks));
            StringAssert.Contains(checks[0], "direct-routing rule '^\\+?(911|112)$' (emc_DirectRoutingNumberPatterns) matches the emergency number 112");
            StringAssert.Contains(checks[0], "must handle emergency calls");
            Assert.AreEqual(4, org.CountRoundTrips(PluginType), "the permission check + 3");
        }

        [TestMethod]
        public void Readiness_DirectOfferWithMalformedRules_SaysTheRulesCouldNotBeChecked()
        {
            var org = SolutionUnderTest.Create();
            SolutionUnderTest.SetEnvironmentVariable(org, DirectRoutingVariable, "[\"(unclosed\"]");

            var (_, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "US", "DirectOffer");

            StringAssert.Contains(Single(checks), "holds an invalid pattern: '(unclosed'");
        }

        [TestMethod]
        public void Readiness_DirectRoutingPath_SaysTheCarrierMustHandleEmergencyCalls()
        {
            var org = SolutionUnderTest.Create();

            var (ready, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "US", "DirectRouting");

            Assert.IsFalse(ready);
            Assert.AreEqual("The origin number uses direct routing: the carrier behind that number must handle emergency calls; confirm it with the carrier.",
                Single(checks));
        }

        [TestMethod]
        public void Readiness_OriginPathNotGiven_SaysTheCarrierMustHandleEmergencyCallsUnlessCallingPlanOrDirectOffer()
        {
            var org = SolutionUnderTest.Create();

            var (_, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "US", null);

            StringAssert.StartsWith(Single(checks), "The origin number path was not given (OriginNumberType).");
        }

        [TestMethod]
        public void Readiness_UnknownOriginPath_NamesTheValue()
        {
            var org = SolutionUnderTest.Create();

            var (_, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "US", "TeamsPhone");

            StringAssert.StartsWith(Single(checks), "The origin number path 'TeamsPhone' is not one of CallingPlan, DirectOffer, DirectRouting.");
        }

        [TestMethod]
        public void Readiness_UnknownAgent_SaysNoSuchUser()
        {
            var org = SolutionUnderTest.Create();
            var unknown = new Guid("b3000000-0000-4000-8000-0000000000ff");

            var (_, checks) = CheckAsAdmin(org, unknown, "US", "CallingPlan");

            Assert.AreEqual("No user with id " + unknown + " exists, so nothing else could be checked. Check the AgentId.", Single(checks));
        }

        [TestMethod]
        public void Readiness_SeveralProblems_OneLinePerFailedCheck()
        {
            var org = SolutionUnderTest.Create();

            var (_, checks) = CheckAsAdmin(org, OmnichannelSeed.InboundOnlyAgent, "PR", "DirectRouting");

            Assert.AreEqual(3, checks.Length, string.Join(Environment.NewLine, checks));
            StringAssert.Contains(checks[0], "inbound voice profiles");
            StringAssert.Contains(checks[1], "no free number for PR");
            StringAssert.Contains(checks[2], "direct routing");
        }

        [TestMethod]
        public void Readiness_MalformedEmergencyNumbersVariable_ReportsTheConfigurationWarning()
        {
            var org = SolutionUnderTest.Create();
            var definition = org.GetRecords("environmentvariabledefinition")
                .Single(d => d.GetAttributeValue<string>("schemaname") == "emc_EmergencyNumbers");
            org.Initialize(new Entity("environmentvariablevalue", new Guid("b3000000-0000-4000-8000-000000000010"))
            {
                ["schemaname"] = "emc_EmergencyNumbers",
                ["value"] = "{ not json",
                ["environmentvariabledefinitionid"] = new EntityReference("environmentvariabledefinition", definition.Id),
            });

            var (ready, checks) = CheckAsAdmin(org, OmnichannelSeed.ReadyAgent, "US", "CallingPlan");

            Assert.IsFalse(ready);
            Assert.AreEqual(1, checks.Length, string.Join(Environment.NewLine, checks));
            StringAssert.Contains(checks[0], "emc_EmergencyNumbers");
        }

        [TestMethod]
        public void Readiness_CallerWithoutThePrivilege_IsRefusedByThePlatform()
        {
            var org = SolutionUnderTest.Create();
            var request = new OrganizationRequest(Api) { ["CountryCode"] = "US" };

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.CreateOrganizationService(OmnichannelSeed.ReadyAgent).Execute(request));

            Assert.AreEqual(ErrorCodes.PrivilegeDenied, fault.Detail.ErrorCode);
        }

        private static (bool Ready, string[] Checks) CheckAsAdmin(InMemoryOrganization org, Guid agentId, string country, string? origin) =>
            Check(org, OmnichannelSeed.AdminUser, agentId, country, origin);

        private static (bool Ready, string[] Checks) Check(InMemoryOrganization org, Guid callerId, Guid agentId, string country, string? origin)
        {
            var request = new OrganizationRequest(Api) { ["AgentId"] = agentId, ["CountryCode"] = country };
            if (origin != null)
            {
                request["OriginNumberType"] = origin;
            }

            var service = callerId == OmnichannelSeed.AdminUser ? AsAdmin(org) : AsAgent(org, callerId);
            var response = service.Execute(request);
            var ready = (bool)response["Ready"];
            var checks = (string[])response["Checks"];
            Assert.AreEqual(checks.Length == 0, ready, "Ready is true exactly when no check failed");
            return (ready, checks);
        }

        private static IOrganizationService AsAgent(InMemoryOrganization org, Guid agentId)
        {
            org.AssignRole(agentId, "Emergency Calling Agent");
            return org.CreateOrganizationService(agentId);
        }

        private static IOrganizationService AsAdmin(InMemoryOrganization org)
        {
            org.AssignRole(OmnichannelSeed.AdminUser, "Emergency Calling Administrator");
            return org.CreateOrganizationService(OmnichannelSeed.AdminUser);
        }

        private static string Single(string[] checks)
        {
            Assert.AreEqual(1, checks.Length, "expected exactly one failed check, got:" + Environment.NewLine + string.Join(Environment.NewLine, checks));
            return checks[0];
        }

        private static Guid ReadyAgentResource(InMemoryOrganization org) =>
            org.GetRecords("bookableresource").Single(r => r.GetAttributeValue<EntityReference>("userid").Id == OmnichannelSeed.ReadyAgent).Id;
    }
}
