using System.ServiceModel;
using EmergencySolution.Tests.Lifecycle;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Resilience
{
    /// <summary>
    /// Pool numbers are valid: the save step (ValidateCallbackNumberPlugin) stores E.164 or refuses naming the value and
    /// the rule, the country must fit the number, and Start, Resolve, the guards and readiness agree that only active,
    /// valid numbers are leased or matched.
    /// </summary>
    [TestClass]
    public sealed class PoolNumberValidityTests : LifecycleTestBase
    {
        private const string PluginType = "EmergencySolution.Plugins.ValidateCallbackNumberPlugin";

        [TestMethod]
        [DataRow("+1 (202) 555-0199", "US", "+12025550199")]
        [DataRow(" +1.416.555.0199 ", "ca", "+14165550199")]
        [DataRow("+1 787 555 0199", "PR", "+17875550199")]
        [DataRow("+44 20 7946 0199", "GB", "+442079460199")]
        [DataRow("+45 32 12 01 99", "DK", "+4532120199")]
        public void Save_WrittenWithSeparators_StoredAsE164WithoutARequest(string typed, string country, string stored)
        {
            var org = CreateOrganization();
            org.ClearRequestLog();

            var id = ActAs.Administrator(org).Create(Number(typed, country));

            var row = org.GetRecord("emc_callbacknumber", id)!;
            Assert.AreEqual(stored, row.GetAttributeValue<string>("emc_number"));
            Assert.AreEqual(country.ToUpperInvariant(), row.GetAttributeValue<string>("emc_countrycode"));
            Assert.AreEqual(0, org.CountRoundTrips(PluginType));
        }

        [TestMethod]
        [DataRow("202-555-0199", "US", "Callback number \"202-555-0199\" does not start with \"+\" and the country calling code")]
        [DataRow("+44 20 7946 0199", "US", "Callback number \"+44 20 7946 0199\" does not fit country US: its calling code is not +1")]
        [DataRow("+1 202 555 0199", "PR", "does not fit country PR: area code 202 is not a Puerto Rico area code")]
        [DataRow("+1 787 555 0199", "US", "does not fit country US: area code 787 belongs to Puerto Rico (country PR)")]
        [DataRow("+1 202 155 0199", "US", "its area code or exchange starts with 0 or 1")]
        [DataRow("+1 202 555 019", "US", "does not fit country US: its national number has 9 digits")]
        [DataRow("+45 3212 019", "DK", "does not fit country DK: its national number has 7 digits")]
        [DataRow("+1 202 555 0199 ext 5", "US", "contains 'e', which is not a digit or a separator")]
        [DataRow("+1 202 555 0199", "USA", "Country code \"USA\" of the callback number is not a two-letter ISO country code")]
        [DataRow("", "US", "The callback number is empty")]
        public void Save_NotAValidNumberOfTheCountry_RefusedNamingTheValueAndTheRule(string typed, string country, string expected)
        {
            var org = CreateOrganization();

            var message = Fails(() => ActAs.Administrator(org).Create(Number(typed, country)));

            StringAssert.Contains(message, expected);
            Assert.AreEqual(5, org.GetRecords("emc_callbacknumber").Count, "nothing saved");
        }

        [TestMethod]
        public void Save_UpdateOfTheNumberOrTheCountry_CheckedAgainstTheOtherStoredValue()
        {
            var org = CreateOrganization();
            var admin = ActAs.Administrator(org);

            admin.Update(new Entity("emc_callbacknumber", OmnichannelSeed.CallbackUs2) { ["emc_number"] = "+1 (202) 555-0177" });
            Assert.AreEqual("+12025550177", org.GetRecord("emc_callbacknumber", OmnichannelSeed.CallbackUs2)!.GetAttributeValue<string>("emc_number"));

            StringAssert.Contains(Fails(() => admin.Update(new Entity("emc_callbacknumber", OmnichannelSeed.CallbackUs2) { ["emc_countrycode"] = "GB" })),
                "does not fit country GB: its calling code is not +44");
            Assert.AreEqual("US", org.GetRecord("emc_callbacknumber", OmnichannelSeed.CallbackUs2)!.GetAttributeValue<string>("emc_countrycode"));
        }

        [TestMethod]
        public void Start_RowSavedBeforeTheStepExisted_IsNotLeasedAndTheNextValidNumberIs()
        {
            var org = CreateOrganization(seed => seed.RemoveCallbackNumbers("US")
                .AddCallbackNumber(new Guid("e3000000-0000-4000-8000-000000000001"), "+1 (202) 555-0101", "US")
                .AddCallbackNumber(new Guid("e3000000-0000-4000-8000-000000000002"), "+12025550102", "US"));

            var start = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: "DirectRouting");

            Assert.AreEqual("+12025550102", start.CallbackNumber);
            Assert.IsTrue(org.Traces.Any(t => t.Contains("is not a valid US number; it is not leased", StringComparison.Ordinal)));
        }

        [TestMethod]
        public void StartResolveAndReadiness_DeactivatedNumber_NeitherLeasedNorMatchedNorCounted()
        {
            var org = CreateOrganization(seed => seed.RemoveCallbackNumbers("US")
                .AddCallbackNumber(new Guid("e3000000-0000-4000-8000-000000000003"), "+12025550103", "US"));
            var admin = ActAs.Administrator(org);
            var first = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: "DirectRouting");
            Assert.AreEqual("+12025550103", first.CallbackNumber);

            admin.Update(new Entity("emc_callbacknumber", new Guid("e3000000-0000-4000-8000-000000000003")) { ["statecode"] = new OptionSetValue(1) });

            Assert.IsFalse((bool)Resolve(org, "+12025550103")["Matched"], "Resolve does not match it");
            org.AdvanceTime(TimeSpan.FromMinutes(61));
            var second = Start(org, OmnichannelSeed.DndAgent, originNumberType: "DirectRouting");
            Assert.AreEqual(string.Empty, second.CallbackNumber, "Start does not lease it");
            var checks = (string[])AsAgent(org, OmnichannelSeed.DndAgent).Execute(new OrganizationRequest("emc_GetEmergencyReadiness")
            {
                ["CountryCode"] = "US",
                ["OriginNumberType"] = "DirectRouting",
            })["Checks"];
            Assert.IsTrue(checks.Any(c => c.Contains("no free number for US", StringComparison.Ordinal)), string.Join(Environment.NewLine, checks));
        }

        private static Entity Number(string number, string country) => new Entity("emc_callbacknumber")
        {
            ["emc_number"] = number,
            ["emc_countrycode"] = country,
        };

        private static string Fails(Action write) => Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(write).Detail.Message;
    }
}
