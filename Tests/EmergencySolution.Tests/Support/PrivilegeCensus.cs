using InMemoryDataverse;

namespace EmergencySolution.Tests.Support
{
    /// <summary>
    /// Holds every test to "privilege checks on wherever a test acts as a user": after each test, every organization
    /// <see cref="SolutionUnderTest"/> made for it is asked which users other than SYSTEM executed requests
    /// (<see cref="InMemoryOrganization.ActingUsers"/>: the test's own services and services plugins created for a
    /// user), and the test fails if one of them acted while checks were off. Each test is also counted as acting as a
    /// user (checked) or as SYSTEM only; the counts and the tests are written to privilege-census.txt next to the test
    /// assembly when the run ends (docs/developer.md shows the command).
    /// </summary>
    /// <remarks>
    /// The organizations of one test are collected in a static list: MSTest runs this assembly's tests one at a time
    /// (no [Parallelize]); a test's own threads share its organizations and may add to the list, hence the lock.
    /// </remarks>
    [TestClass]
    public static class PrivilegeCensus
    {
        private static readonly object Gate = new object();
        private static readonly List<InMemoryOrganization> CurrentTest = new List<InMemoryOrganization>();
        private static readonly SortedDictionary<string, string> Verdicts = new SortedDictionary<string, string>(StringComparer.Ordinal);

        public const string ActedAsUserChecked = "user, checked";
        public const string ActedAsUserUnchecked = "user, UNCHECKED";
        public const string SystemOnly = "SYSTEM only";
        public const string NoOrganization = "no organization";

        /// <summary>Called by <see cref="SolutionUnderTest"/> for each organization it makes.</summary>
        internal static void Track(InMemoryOrganization org)
        {
            lock (Gate)
            {
                CurrentTest.Add(org);
            }
        }

        [GlobalTestInitialize]
        public static void BeginTest(TestContext context)
        {
            lock (Gate)
            {
                CurrentTest.Clear();
            }
        }

        [GlobalTestCleanup]
        public static void EndTest(TestContext context)
        {
            InMemoryOrganization[] organizations;
            lock (Gate)
            {
                organizations = CurrentTest.ToArray();
                CurrentTest.Clear();
            }

            var verdict = Judge(organizations, out var actedUnchecked);
            lock (Gate)
            {
                Verdicts[context.FullyQualifiedTestClassName + "." + context.TestDisplayName] = verdict;
            }

            if (actedUnchecked.Count > 0)
            {
                throw new AssertFailedException("This test acted as a user with privilege checks off (EnforceTablePrivileges = false): " +
                    string.Join(", ", actedUnchecked) + ". Leave the checks on and give the user the roles the docs say it needs (Support/ActAs.cs)");
            }
        }

        /// <summary>The verdict on one test's organizations, and the users who acted in them with the checks off.</summary>
        internal static string Judge(IReadOnlyCollection<InMemoryOrganization> organizations, out IReadOnlyList<Guid> actedUnchecked)
        {
            actedUnchecked = organizations.SelectMany(o => o.UsersActedWithoutPrivilegeChecks).Distinct().ToList();
            return actedUnchecked.Count > 0 ? ActedAsUserUnchecked
                : organizations.Count == 0 ? NoOrganization
                : organizations.Any(o => o.ActingUsers.Count > 0) ? ActedAsUserChecked
                : SystemOnly;
        }

        [AssemblyCleanup]
        public static void WriteCensus()
        {
            List<KeyValuePair<string, string>> verdicts;
            lock (Gate)
            {
                verdicts = Verdicts.ToList();
            }

            var lines = verdicts.GroupBy(v => v.Value).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Count() + " " + g.Key)
                .Concat(new[] { string.Empty })
                .Concat(verdicts.Select(v => v.Value + "\t" + v.Key));
            File.WriteAllLines(Path.Combine(AppContext.BaseDirectory, "privilege-census.txt"), lines);
        }
    }
}
