using System;
using System.Collections.Generic;
using System.Linq;
using EmergencySolution.SolutionReader;
using EmergencySolution.Tests.Lifecycle;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Privacy
{
    /// <summary>
    /// The views that ship with our tables (SolutionPackage/src/Entities/emc_*/SavedQueries), run as an administrator
    /// runs them, while a callback number is leased and after the lease is over but before the clean-up: no row of them
    /// shows the call's leased number (a lookup shows the pool number, so lookups are resolved as a grid displays
    /// them) or the caller's location, and no pool row names the call or agent it was leased to.
    /// </summary>
    [TestClass]
    public sealed class ShippedViewsTests : LifecycleTestBase
    {
        private const string LeasedNumber = "+12025550101";
        private const string Location = "1 Main St, Springfield, IL 62701";

        [TestMethod]
        public void ShippedViews_DuringTheLeaseAndAfterItBeforeTheCleanUp_ShowNoLeasedNumberOrLocationOfACall()
        {
            var org = CreateOrganization();
            var start = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: "DirectRouting", location: Location);
            org.RunPendingAsyncOperations();
            Assert.AreEqual(LeasedNumber, start.CallbackNumber, "the call leased the seeded pool number");
            var views = ShippedViews().ToList();
            Assert.IsTrue(views.Count >= 10, "both tables ship their views");

            AssertViewsConceal(org, views, "during the lease");
            org.AdvanceTime(TimeSpan.FromMinutes(61));
            AssertViewsConceal(org, views, "after the lease, before the clean-up");
        }

        private static IEnumerable<(string Table, ViewDefinition View)> ShippedViews() =>
            SolutionSource.Load(SolutionUnderTest.SolutionSourceFolder).Entities
                .Where(table => table.LogicalName.StartsWith("emc_", StringComparison.Ordinal))
                .SelectMany(table => table.Views.Select(view => (table.LogicalName, view)));

        private static void AssertViewsConceal(InMemoryOrganization org, IEnumerable<(string Table, ViewDefinition View)> views, string when)
        {
            var admin = AsAdmin(org);
            var callRowsSeen = 0;
            foreach (var (table, view) in views)
            {
                // A quick find view runs with the user's search text in place of {0}; "%" finds every row.
                var fetch = view.Fetch!.ToString().Replace("{0}", "%");
                var rows = admin.RetrieveMultiple(new FetchExpression(fetch)).Entities;
                foreach (var row in rows)
                {
                    var shown = string.Join(" | ", row.Attributes.Select(a => Displayed(admin, a.Value)));
                    var what = $"{when}: view '{view.Name}' of {table} shows {shown}";
                    if (table == "emc_emergencycall")
                    {
                        callRowsSeen++;
                        Assert.IsFalse(shown.Contains(LeasedNumber), what);
                        Assert.IsFalse(shown.Contains("Main St"), what);
                    }
                    else
                    {
                        Assert.IsFalse(row.Contains("emc_emergencycallid") || row.Contains("emc_agentid"), $"{what}: a pool row names its lease holder");
                    }
                }
            }
            Assert.IsTrue(callRowsSeen > 0, $"{when}: the call views returned the call (the check would be empty otherwise)");
        }

        /// <summary>What a grid cell shows: a lookup displays the primary name of the row it points to.</summary>
        private static string Displayed(IOrganizationService service, object? value)
        {
            switch (value)
            {
                case EntityReference reference when reference.LogicalName == "emc_callbacknumber":
                    return service.Retrieve(reference.LogicalName, reference.Id, new ColumnSet("emc_number")).GetAttributeValue<string>("emc_number");
                case EntityReference reference:
                    return reference.LogicalName + ":" + reference.Id;
                case OptionSetValue option:
                    return option.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                default:
                    return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }
    }
}
