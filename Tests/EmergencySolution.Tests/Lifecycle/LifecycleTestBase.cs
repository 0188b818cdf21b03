using System.Text.RegularExpressions;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Lifecycle
{
    /// <summary>
    /// Base of every lifecycle, notification, privacy and concurrency test class: every organization a test creates
    /// through <see cref="CreateOrganization"/> is checked when the test ends (<see cref="AssertNothingOfAnEmergencyCallIsStored"/>),
    /// so the confidentiality promise holds after every scenario, including the ones that never call
    /// <see cref="LifecycleKit.AssertConfidential"/> themselves.
    /// </summary>
    /// <remarks>
    /// MSTest builds a new instance of the class for each test, so the list below belongs to one test.
    /// </remarks>
    public abstract class LifecycleTestBase
    {
        private static readonly Regex QuotedDigits = new Regex("\"(\\d{1,6})\"", RegexOptions.CultureInvariant);

        private static readonly string[] HistoryTables = { "phonecall", "msdyn_transcript", "msdyn_ocrecording" };

        private readonly List<InMemoryOrganization> _organizations = new List<InMemoryOrganization>();

        /// <summary>The solution loaded with the standard seed (<see cref="SolutionUnderTest.Create"/>), checked at the end of the test.</summary>
        protected InMemoryOrganization CreateOrganization(Action<OmnichannelSeed>? adjustSeed = null) =>
            Track(SolutionUnderTest.Create(adjustSeed));

        /// <summary>The solution loaded without a seed (<see cref="SolutionUnderTest.CreateWithoutSeed"/>), checked at the end of the test.</summary>
        protected InMemoryOrganization CreateOrganizationWithoutSeed() => Track(SolutionUnderTest.CreateWithoutSeed());

        [TestCleanup]
        public void AssertNothingOfAnEmergencyCallIsStored()
        {
            foreach (var org in _organizations)
            {
                AssertNoCallHistoryForEmergencyCalls(org);
                LifecycleKit.AssertNoNumbersInTraces(org);
            }
        }

        /// <summary>
        /// No phonecall, msdyn_transcript or msdyn_ocrecording row belongs to an emergency call: none regards an
        /// emergency call or points to a conversation an emergency call is linked to, and none carries an emergency
        /// number (default or configured) or a live leased callback number, in phonenumber or a party's address.
        /// Other call history (an ordinary customer call a privacy test lets through) may exist.
        /// </summary>
        public static void AssertNoCallHistoryForEmergencyCalls(InMemoryOrganization org)
        {
            var calls = org.GetRecords("emc_emergencycall");
            var emergencyIds = new HashSet<Guid>(calls.Select(c => c.Id));
            emergencyIds.UnionWith(calls.Select(c => c.GetAttributeValue<EntityReference>("emc_conversationid")?.Id ?? Guid.Empty)
                .Where(id => id != Guid.Empty));

            var emergencyNumbers = new HashSet<string>(new[] { "911", "999", "112" });
            foreach (var definition in org.GetRecords("environmentvariabledefinition").Concat(org.GetRecords("environmentvariablevalue")))
            {
                foreach (var text in new[] { definition.GetAttributeValue<string>("defaultvalue"), definition.GetAttributeValue<string>("value") })
                {
                    if (text != null && text.Contains('['))
                    {
                        emergencyNumbers.UnionWith(QuotedDigits.Matches(text).Cast<Match>().Select(m => m.Groups[1].Value));
                    }
                }
            }

            var leasedNumbers = new HashSet<string>(org.GetRecords("emc_callbacknumber")
                .Where(n => n.GetAttributeValue<DateTime?>("emc_leaseexpireson") is DateTime expires && expires > org.UtcNow)
                .Select(n => Digits(n.GetAttributeValue<string>("emc_number")))
                .Where(d => d.Length > 0));

            foreach (var table in HistoryTables)
            {
                foreach (var row in org.GetRecords(table))
                {
                    var reason = EmergencyReason(row, emergencyIds, emergencyNumbers, leasedNumbers);
                    Assert.IsNull(reason, $"a {table} row ({row.Id}) of an emergency call is stored: {reason}");
                }
            }
        }

        private static string? EmergencyReason(Entity row, HashSet<Guid> emergencyIds, HashSet<string> emergencyNumbers, HashSet<string> leasedNumbers)
        {
            foreach (var pair in row.Attributes)
            {
                switch (pair.Value)
                {
                    case EntityReference reference when reference.LogicalName == "emc_emergencycall" || emergencyIds.Contains(reference.Id):
                        return pair.Key + " points to an emergency call or its conversation";
                    case Guid id when emergencyIds.Contains(id):
                        return pair.Key + " points to an emergency call or its conversation";
                    case string text when Guid.TryParse(text, out var parsed) && emergencyIds.Contains(parsed):
                        return pair.Key + " points to an emergency call or its conversation";
                    case EntityCollection parties:
                        foreach (var party in parties.Entities)
                        {
                            if (IsEmergencyNumber(party.GetAttributeValue<string>("addressused"), emergencyNumbers, leasedNumbers))
                            {
                                return pair.Key + " holds an emergency or leased callback number";
                            }
                        }

                        break;
                }
            }

            return IsEmergencyNumber(row.GetAttributeValue<string>("phonenumber"), emergencyNumbers, leasedNumbers)
                ? "phonenumber is an emergency or leased callback number"
                : null;
        }

        private static bool IsEmergencyNumber(string? value, HashSet<string> emergencyNumbers, HashSet<string> leasedNumbers)
        {
            var digits = Digits(value);
            return digits.Length > 0 && (emergencyNumbers.Contains(digits) || leasedNumbers.Contains(digits));
        }

        private static string Digits(string? text) => new string((text ?? string.Empty).Where(c => c >= '0' && c <= '9').ToArray());

        private InMemoryOrganization Track(InMemoryOrganization org)
        {
            _organizations.Add(org);
            return org;
        }
    }
}
