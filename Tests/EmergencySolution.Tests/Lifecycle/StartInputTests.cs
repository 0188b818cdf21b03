using System.ServiceModel;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Lifecycle
{
    /// <summary>
    /// The only refusals of Start: a number that is not an emergency number (of the country, or of any configured
    /// country when the country is not usable), and a malformed or oversized dialed number. Each gets a clear message
    /// naming the value (a dialed number only by its length), and nothing is written. A country that is empty, malformed
    /// or not configured is recorded with a warning (a trigger cannot know the browser's country). Oversized optional
    /// inputs (Location, OriginNumberType) never refuse: they are cut or treated as unknown, with a warning.
    /// </summary>
    [TestClass]
    public sealed class StartInputTests : LifecycleTestBase
    {
        [TestMethod]
        [DataRow("911", "US")]
        [DataRow("9-1-1", "US")]
        [DataRow(" 911 ", "CA")]
        [DataRow("999", "GB")]
        [DataRow("112", "GB")]
        [DataRow("112", "DK")]
        [DataRow("911", "dk")]
        [DataRow("911", "PR")]
        [DataRow("+1 911", "US")]
        [DataRow("1-911", "US")]
        [DataRow("911#", "US")]
        [DataRow("+44 999", "GB")]
        public void Start_EmergencyNumberOfTheCountry_Accepted(string dialed, string country)
        {
            var org = CreateOrganization();

            var start = Start(org, OmnichannelSeed.ReadyAgent, dialed, country);

            var call = Call(org, start.CallId);
            Assert.AreEqual(country.Trim().ToUpperInvariant(), call.GetAttributeValue<string>("emc_countrycode"));
            Assert.IsTrue(new[] { "911", "999", "112" }.Contains(call.GetAttributeValue<string>("emc_dialednumber")), "the emergency number is stored, not the dialed form");
        }

        [TestMethod]
        [DataRow("911", "FR", "FR", "Emergency calling is not configured for country \"FR\"; supported: CA, DK, GB, PR, US (environment variable emc_EmergencyNumbers). The call is recorded for FR, without a callback number.")]
        [DataRow("911", "USA", "", "CountryCode \"USA\" is not a two-letter ISO country code; supported: CA, DK, GB, PR, US.")]
        [DataRow("911", "", "", "CountryCode is empty")]
        [DataRow("999", "1!", "", "CountryCode \"1!\" is not a two-letter ISO country code; supported: CA, DK, GB, PR, US. The call is recorded without a country or a callback number.")]
        public void Start_CountryNotUsable_RecordedWithAWarningNeverRefused(string dialed, string country, string recordedCountry, string expected)
        {
            var org = CreateOrganization();

            var start = Start(org, OmnichannelSeed.ReadyAgent, dialed, country);

            StringAssert.Contains(string.Join("|", start.Warnings), expected);
            var call = Call(org, start.CallId);
            Assert.AreEqual(recordedCountry, call.GetAttributeValue<string>("emc_countrycode") ?? string.Empty);
            Assert.AreEqual(string.Empty, start.CallbackNumber, "no callback number for a country that is not configured");
        }

        [TestMethod]
        [DataRow("1911", "US", "DialedNumber (a 4-digit number) is not an emergency number for US; the emergency numbers for US are 911.")]
        [DataRow("9112", "US", "DialedNumber (a 4-digit number) is not an emergency number for US")]
        [DataRow("999", "US", "DialedNumber (a 3-digit number) is not an emergency number for US")]
        [DataRow("112", "CA", "is not an emergency number for CA")]
        [DataRow("+1 202 555 0123", "US", "DialedNumber (an 11-digit number) is not an emergency number for US")]
        [DataRow("", "US", "DialedNumber is empty. The emergency numbers for US are 911.")]
        [DataRow("   ", "GB", "DialedNumber is empty. The emergency numbers for GB are 999, 112, 911.")]
        [DataRow("91a", "US", "DialedNumber contains 'a', which is not a digit or a dial separator")]
        [DataRow("9<1>1", "US", "DialedNumber contains '<'")]
        [DataRow("9\u00001", "US", "DialedNumber contains 'U+0000'")]
        [DataRow("---", "US", "DialedNumber has no digits.")]
        [DataRow("1911", "US", "DialedNumber (a 4-digit number) is not an emergency number for US")]
        [DataRow("555", "FR", "DialedNumber (a 3-digit number) is not an emergency number for the configured countries")]
        public void Start_BadInput_RefusedWithAClearMessageAndNothingWritten(string dialed, string country, string expected)
        {
            var org = CreateOrganization();

            var message = StartFails(org, StartRequest(dialed, country));

            StringAssert.Contains(message, expected);
            Assert.AreEqual(0, org.GetRecords("emc_emergencycall").Count);
            Assert.IsFalse(message.Contains("2025550123", StringComparison.Ordinal) || message.Contains("555 0123", StringComparison.Ordinal),
                "the dialed number is named by its length, not echoed");
            AssertConfidential(org, "+1 202 555 0123");
        }

        [TestMethod]
        public void Start_HugeDialedNumber_RefusedByLength()
        {
            var org = CreateOrganization();

            var message = StartFails(org, StartRequest(new string('9', 5000), "US"));

            StringAssert.Contains(message, "DialedNumber is 5000 characters long; at most 32 are accepted.");
            Assert.IsTrue(message.Length < 400, "the value is not echoed");
        }

        [TestMethod]
        public void Start_HugeCountryCode_RecordedWithoutItAndAWarningByLength()
        {
            var org = CreateOrganization();

            var start = Start(org, OmnichannelSeed.ReadyAgent, "911", new string('U', 100000));

            StringAssert.Contains(string.Join("|", start.Warnings), "CountryCode is 100000 characters long");
            Assert.IsTrue(start.Warnings.All(w => w.Length < 1000), "the value is not echoed");
        }

        [TestMethod]
        public void Start_HugeLocation_CutToItsFirst2000CharactersWithAWarning()
        {
            var org = CreateOrganization();
            var location = "1 Main St, Springfield, IL 62701 " + new string('x', 2100);

            var start = Start(org, OmnichannelSeed.ReadyAgent, location: location);

            var stored = Call(org, start.CallId).GetAttributeValue<string>("emc_location");
            Assert.AreEqual(location.Substring(0, 2000), stored);
            var warning = start.Warnings.Single(w => w.StartsWith("Location", StringComparison.Ordinal));
            Assert.AreEqual("Location was 2133 characters long; only the first 2000 were kept. Check the location on the call.", warning);
            StringAssert.Contains(Call(org, start.CallId).GetAttributeValue<string>("emc_warnings"), warning);
            AssertConfidential(org);
        }

        [TestMethod]
        public void Start_LocationOfExactly2000Characters_KeptWhole()
        {
            var org = CreateOrganization();
            var location = new string('x', 2000);

            var start = Start(org, OmnichannelSeed.ReadyAgent, location: location);

            Assert.AreEqual(location, Call(org, start.CallId).GetAttributeValue<string>("emc_location"));
            Assert.IsFalse(start.Warnings.Any(w => w.StartsWith("Location", StringComparison.Ordinal)));
        }

        [TestMethod]
        public void Start_HugeOriginNumberType_TreatedAsUnknownWithAWarning()
        {
            var org = CreateOrganization();

            var start = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: "CallingPlan" + new string('y', 100));

            Assert.AreNotEqual(Guid.Empty, start.CallId);
            Assert.AreEqual(Queued, start.NotificationStatus);
            Assert.IsTrue(start.Warnings.Contains(
                "OriginNumberType was 111 characters long (at most 64: CallingPlan, DirectOffer or DirectRouting); it was treated as unknown."),
                string.Join(Environment.NewLine, start.Warnings));
            // Unknown, not CallingPlan: the readiness line about the carrier is there too.
            Assert.IsTrue(start.Warnings.Any(w => w.Contains("must handle emergency calls", StringComparison.Ordinal)),
                string.Join(Environment.NewLine, start.Warnings));
            AssertConfidential(org);
        }

        [TestMethod]
        public void Start_ConfiguredNumbersReplaceTheDefaults_MatchingFollowsTheEnvironmentVariable()
        {
            var org = CreateOrganization();
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_EmergencyNumbers", "{\"US\":[\"911\",\"933\"],\"DE\":[\"112\",\"110\"]}");

            Assert.AreNotEqual(Guid.Empty, Start(org, OmnichannelSeed.ReadyAgent, "933", "US").CallId);
            Assert.AreNotEqual(Guid.Empty, Start(org, OmnichannelSeed.DndAgent, "110", "DE").CallId);
            StringAssert.Contains(StartFails(org, StartRequest("999", "GB")), "is not an emergency number for the configured countries; the emergency numbers for the configured countries are DE: 112, 110; US: 911, 933.");
        }

        [TestMethod]
        public void Start_MalformedEmergencyNumbersVariable_DefaultsUsedAndAdminWarned()
        {
            var org = CreateOrganization();
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_EmergencyNumbers", "{\"US\":[\"911\"],");

            var start = Start(org, OmnichannelSeed.ReadyAgent, "999", "GB");

            var warning = start.Warnings.Single(w => w.StartsWith("emc_EmergencyNumbers", StringComparison.Ordinal));
            StringAssert.Contains(warning, "is not usable");
            StringAssert.Contains(warning, "the default list");
        }

        [TestMethod]
        [DataRow("{\"US\":[\"911\"],\"US\":[\"112\"]}", "country US appears twice")]
        [DataRow("{\"USA\":[\"911\"]}", "\"USA\" is not a two-letter country code")]
        [DataRow("{\"US\":[\"91-1\"]}", "\"91-1\" for US is not a short emergency number of digits")]
        [DataRow("{\"US\":[\"1234567\"]}", "\"1234567\" for US is not a short emergency number of digits")]
        [DataRow("{\"US\":[]}", "country US has no numbers")]
        [DataRow("{}", "it lists no country")]
        [DataRow("[\"911\"]", "expected '{' at character 1")]
        [DataRow("{\"US\":[\"911\"]} trailing", "unexpected text after the object")]
        public void Start_EmergencyNumbersVariableOfTheWrongShape_DefaultsUsedAndTheProblemNamed(string json, string problem)
        {
            var org = CreateOrganization();
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_EmergencyNumbers", json);

            var start = Start(org, OmnichannelSeed.ReadyAgent, "112", "DK");

            StringAssert.Contains(start.Warnings.Single(w => w.StartsWith("emc_EmergencyNumbers", StringComparison.Ordinal)), problem);
        }

        [TestMethod]
        public void Start_EmergencyNumbersVariableWithLowerCaseKeysAndSpaces_Accepted()
        {
            var org = CreateOrganization();
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_EmergencyNumbers", " { \"us\" : [ \"911\" , \"911\" ] , \"gb\":[\"999\"] } ");

            var start = Start(org, OmnichannelSeed.ReadyAgent, "999", "GB");

            Assert.AreEqual(0, start.Warnings.Count(w => w.StartsWith("emc_EmergencyNumbers", StringComparison.Ordinal)));
            StringAssert.Contains(StartFails(org, StartRequest("112", "DK")), "the emergency numbers for the configured countries are GB: 999; US: 911.");
        }

        [TestMethod]
        public void Start_LeaseMinutesVariable_SetsTheWindowAndABadValueFallsBackToSixty()
        {
            var org = CreateOrganization();
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_CallbackLeaseMinutes", "15");
            Assert.AreEqual(org.UtcNow.AddMinutes(15), Start(org, OmnichannelSeed.ReadyAgent).CallbackExpiresOn);

            SolutionUnderTest.SetEnvironmentVariable(org, "emc_CallbackLeaseMinutes", "ten");
            var second = Start(org, OmnichannelSeed.DndAgent);

            Assert.AreEqual(org.UtcNow.AddMinutes(60), second.CallbackExpiresOn);
            StringAssert.Contains(string.Join("|", second.Warnings), "emc_CallbackLeaseMinutes is \"ten\", not a whole number of minutes from 1 to 1440; 60 minutes are used.");
        }

        [TestMethod]
        public void Start_UnknownParameter_RejectedByThePlatform()
        {
            var org = CreateOrganization();
            var request = StartRequest();
            request["PhoneNumber"] = "911";

            StartFails(org, request);
        }

        internal static string StartFails(InMemoryOrganization org, OrganizationRequest request)
        {
            try
            {
                AsAgent(org, OmnichannelSeed.ReadyAgent).Execute(request);
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return fault.Detail.Message;
            }
            catch (InvalidPluginExecutionException exception)
            {
                return exception.Message;
            }

            Assert.Fail("Start was expected to refuse the input.");
            return string.Empty;
        }

    }
}
