using System.ServiceModel;
using System.Text.Json;
using EmergencySolution.Tests.Support;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Lifecycle
{
    /// <summary>
    /// Tests/vectors/emergency-dial.json, which the client dial watcher's unit tests also run
    /// (WebResources/src/shared/emergencyNumbers.ts), through Start: for every case of a configured country whose dialed
    /// text Start may receive, a case with a number starts a call that stores that number, and a case without one is
    /// refused. So the client and the server read a dialed form the same way.
    /// </summary>
    [TestClass]
    public sealed class EmergencyDialVectorTests : LifecycleTestBase
    {
        private static readonly string[] ConfiguredCountries = { "US", "PR", "CA", "GB", "DK" };

        [TestMethod]
        public void Start_EverySharedDialVectorOfAConfiguredCountry_AgreesWithTheVector()
        {
            var path = Path.Combine(SolutionUnderTest.RepositoryRoot, "Tests", "vectors", "emergency-dial.json");
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var mismatches = new List<string>();
            var checkedCases = 0;
            foreach (var vector in document.RootElement.GetProperty("cases").EnumerateArray())
            {
                var name = vector.GetProperty("name").GetString();
                var country = vector.GetProperty("country").GetString()!;
                var dialed = vector.GetProperty("dialed").GetString()!;
                var number = vector.GetProperty("number").ValueKind == JsonValueKind.Null ? null : vector.GetProperty("number").GetString();
                if (!ConfiguredCountries.Contains(country.Trim().ToUpperInvariant()))
                {
                    continue; // an unusable country is recorded, never refused: StartInputTests covers it
                }

                checkedCases++;
                var org = CreateOrganization();
                if (number != null)
                {
                    var start = Start(org, OmnichannelSeed.ReadyAgent, dialed, country);
                    var stored = Call(org, start.CallId).GetAttributeValue<string>("emc_dialednumber");
                    if (stored != number)
                    {
                        mismatches.Add($"{name}: expected {number}, stored {stored}");
                    }
                }
                else
                {
                    try
                    {
                        AsAgent(org, OmnichannelSeed.ReadyAgent).Execute(StartRequest(dialed, country));
                        mismatches.Add($"{name}: expected a refusal, but Start made a call");
                    }
                    catch (FaultException<OrganizationServiceFault>)
                    {
                        // Refused, as the vector says: not an emergency number.
                    }
                }
            }

            Assert.IsTrue(checkedCases >= 20, "the vector file holds at least 20 cases of configured countries");
            Assert.AreEqual(0, mismatches.Count, string.Join("\n", mismatches));
        }
    }
}
