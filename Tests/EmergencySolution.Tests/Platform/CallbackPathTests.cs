using EmergencySolution.Tests.Lifecycle;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Platform
{
    /// <summary>
    /// The callback number by origin path (issue 13 item 3) and the built-in feature beside it (item 5): a pool number is
    /// leased, returned, stored and emailed only on a path where the responder sees it; on a Microsoft number the call
    /// says Microsoft's temporary number reaches the agent (and 933 reads it back), and by default the solution leaves
    /// presence and the email to the platform while it still records the call.
    /// </summary>
    [TestClass]
    public sealed class CallbackPathTests : LifecycleTestBase
    {
        private const int CallingPlan = 410750000;
        private const int DirectOffer = 410750001;
        private const int DirectRouting = 410750002;
        private const int Unknown = 410750003;
        private const int LeftToPlatform = 410750004;

        [TestMethod]
        [DataRow("CallingPlan", null, null, "Microsoft", CallingPlan, DisplayName = "calling plan")]
        [DataRow("DirectOffer", null, null, "Microsoft", DirectOffer, DisplayName = "direct offer")]
        [DataRow("DirectOffer", "[\"^\\\\+?1?911$\"]", null, "Pool", DirectRouting, DisplayName = "direct offer taken by a direct-routing rule")]
        [DataRow("DirectRouting", null, null, "Pool", DirectRouting, DisplayName = "direct routing")]
        [DataRow(null, null, null, "Unknown", Unknown, DisplayName = "unknown")]
        [DataRow(null, null, "yes", "Pool", Unknown, DisplayName = "unknown, the carrier presents pool numbers")]
        [DataRow("SomethingElse", null, "no", "Unknown", Unknown, DisplayName = "unrecognised value, carrier not vouched for")]
        public void EveryPath_APoolNumberAppearsOnlyWhereTheResponderHasIt(string? origin, string? routingRules, string? carrierPresentsPoolNumbers,
            string expectedPath, int expectedOriginPath)
        {
            var org = CreateOrganization();
            // The solution sends its own email on every path here, so the email of each path is checked too.
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_PlatformHandlesOnMicrosoftNumbers", "none");
            if (routingRules != null)
            {
                SolutionUnderTest.SetEnvironmentVariable(org, "emc_DirectRoutingNumberPatterns", routingRules);
            }

            if (carrierPresentsPoolNumbers != null)
            {
                SolutionUnderTest.SetEnvironmentVariable(org, "emc_CarrierPresentsPoolNumbers", carrierPresentsPoolNumbers);
            }

            var start = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: origin);
            org.RunPendingAsyncOperations();

            var call = Call(org, start.CallId);
            var email = org.GetRecords("email").Single();
            var details = (string)start.Response["CallbackDetails"];
            Assert.AreEqual(expectedPath, (string)start.Response["CallbackPath"]);
            Assert.AreEqual(expectedOriginPath, OptionValue(call, "emc_originpath"));
            Assert.AreEqual(details, call.GetAttributeValue<string>("emc_callbackdetails"));
            StringAssert.Contains(email.GetAttributeValue<string>("description"), System.Net.WebUtility.HtmlEncode(details));

            var leased = org.GetRecords("emc_callbacknumber").Where(n => n.GetAttributeValue<EntityReference>("emc_emergencycallid")?.Id == start.CallId).ToList();
            var everything = string.Join("\n", new[]
            {
                start.CallbackNumber, details, string.Join("\n", start.Warnings), call.GetAttributeValue<string>("emc_warnings"),
                call.GetAttributeValue<string>("emc_name"), email.GetAttributeValue<string>("subject"), email.GetAttributeValue<string>("description"),
            });
            if (expectedPath == "Pool")
            {
                Assert.AreEqual(1, leased.Count, "one lease");
                var number = leased[0].GetAttributeValue<string>("emc_number");
                Assert.AreEqual(number, start.CallbackNumber);
                StringAssert.Contains(email.GetAttributeValue<string>("description"), number);
                Assert.AreEqual(leased[0].Id, call.GetAttributeValue<EntityReference>("emc_callbacknumberid").Id);
            }
            else
            {
                Assert.AreEqual(0, leased.Count, "no lease where the responder would not see the number");
                Assert.AreEqual(string.Empty, start.CallbackNumber);
                Assert.IsNull(call.GetAttributeValue<EntityReference>("emc_callbacknumberid"));
                Assert.IsNull(start.CallbackExpiresOn);
            }

            // No pool number other than the leased one, anywhere; and none at all in the statement.
            foreach (var poolNumber in org.GetRecords("emc_callbacknumber").Select(n => n.GetAttributeValue<string>("emc_number")))
            {
                var digits = new string(poolNumber.Where(c => c >= '0' && c <= '9').ToArray());
                Assert.IsFalse(details.Contains(digits, StringComparison.Ordinal), "the statement never holds a number");
                if (expectedPath != "Pool" || poolNumber != start.CallbackNumber)
                {
                    Assert.IsFalse(everything.Contains(digits, StringComparison.Ordinal), poolNumber + " shown on the " + expectedPath + " path");
                }
            }

            if (expectedPath == "Microsoft")
            {
                StringAssert.Contains(details, "temporary callback number");
                StringAssert.Contains(details, "60 minutes");
                StringAssert.Contains(details, "933");
            }
        }

        [TestMethod]
        public void MicrosoftNumberByDefault_PresenceAndEmailLeftToThePlatformTheCallStillRecorded()
        {
            var org = CreateOrganization();

            var start = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: "CallingPlan");
            org.RunPendingAsyncOperations();

            var call = Call(org, start.CallId);
            Assert.AreEqual("presence,email", call.GetAttributeValue<string>("emc_lefttoplatform"));
            Assert.AreEqual(LeftToPlatform, start.NotificationStatus);
            Assert.AreEqual(LeftToPlatform, OptionValue(call, "emc_notificationstatus"));
            Assert.AreEqual(0, org.CountRequests("SendEmail"), "no second email");
            Assert.AreEqual(0, org.CountRequests("CCaaS_ModifyAgentPresence"), "no second presence switch");
            Assert.AreEqual(OmnichannelSeed.PresenceAvailable, CurrentPresence(org, OmnichannelSeed.ReadyAgent));
            Assert.AreEqual("911", call.GetAttributeValue<string>("emc_dialednumber"), "the call is still recorded");
            Assert.AreEqual(OmnichannelSeed.PresenceAvailable, call.GetAttributeValue<EntityReference>("emc_priorpresenceid").Id);

            End(org, OmnichannelSeed.ReadyAgent, start.CallId);
            org.RunPendingAsyncOperations();
            Assert.AreEqual(0, org.CountRequests("CCaaS_ModifyAgentPresence"));
        }

        [TestMethod]
        public void MicrosoftNumberWithPresenceOnly_TheSolutionSendsTheEmailButLeavesPresence()
        {
            var org = CreateOrganization();
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_PlatformHandlesOnMicrosoftNumbers", "presence");

            var start = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: "CallingPlan");
            org.RunPendingAsyncOperations();

            Assert.AreEqual("presence", Call(org, start.CallId).GetAttributeValue<string>("emc_lefttoplatform"));
            Assert.AreEqual(1, org.CountRequests(r => r.MessageName == "SendEmail" && r.Succeeded));
            Assert.AreEqual(0, org.CountRequests("CCaaS_ModifyAgentPresence"));
        }

        [TestMethod]
        [DataRow("CallingPlan", "Path: Microsoft number (calling plan).", "Do not disturb and back: Contact Center's built-in emergency calling", "Notification email: Contact Center's built-in emergency calling", "Callback number: Microsoft's temporary number")]
        [DataRow("DirectRouting", "Path: your carrier (direct routing).", "Do not disturb and back: this solution", "Notification email: this solution", "Callback number: a number leased from the callback pool")]
        [DataRow(null, "Path: not known (OriginNumberType not given).", "Do not disturb and back: this solution", "Notification email: this solution", "Callback number: none from the pool")]
        public void Readiness_SaysPerAgentWhichPathAppliesAndWhoDoesWhat(string? origin, string path, string presence, string email, string callback)
        {
            var org = CreateOrganization();
            var request = new OrganizationRequest("emc_GetEmergencyReadiness") { ["CountryCode"] = "US" };
            if (origin != null)
            {
                request["OriginNumberType"] = origin;
            }

            var responsibilities = (string[])AsAgent(org, OmnichannelSeed.ReadyAgent).Execute(request)["Responsibilities"];

            Assert.AreEqual(path, responsibilities[0]);
            StringAssert.StartsWith(responsibilities[1], presence);
            StringAssert.StartsWith(responsibilities[2], email);
            StringAssert.StartsWith(responsibilities[3], callback);
            StringAssert.StartsWith(responsibilities[4], "Always this solution: the call record, no call history");
        }

        [TestMethod]
        public void BadPlatformSettings_DefaultsUsedAndTheAdminIsTold()
        {
            var org = CreateOrganization();
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_PlatformHandlesOnMicrosoftNumbers", "presence,fax");
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_CarrierPresentsPoolNumbers", "maybe");

            var start = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: null);

            CollectionAssert.Contains(start.Warnings, "The environment variable emc_PlatformHandlesOnMicrosoftNumbers has entries that are neither 'presence' nor 'email' ('fax'); they were ignored.");
            CollectionAssert.Contains(start.Warnings, "The environment variable emc_CarrierPresentsPoolNumbers is neither yes nor no; no was used.");
            Assert.AreEqual("Unknown", (string)start.Response["CallbackPath"]);
        }
    }
}
