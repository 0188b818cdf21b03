using InMemoryDataverse.Tests.TestPlugins;

namespace InMemoryDataverse.Tests
{
    /// <summary>Organizations for the harness tests: bare, or wired from TestSolution/ (copied next to the binaries).</summary>
    internal static class TestOrganization
    {
        public static readonly Guid Alice = new Guid("a11ce000-0000-4000-8000-000000000001");
        public static readonly Guid Bob = new Guid("b0b00000-0000-4000-8000-000000000002");

        public static string SolutionFolder => Path.Combine(AppContext.BaseDirectory, "TestSolution");

        /// <summary>The repository's own SolutionPackage/src, for tests that need the shipped tables and keys.</summary>
        public static string ShippedSolutionFolder
        {
            get
            {
                var directory = new DirectoryInfo(AppContext.BaseDirectory);
                while (directory != null && !File.Exists(Path.Combine(directory.FullName, "EmergencySolution.sln")))
                {
                    directory = directory.Parent;
                }

                return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("EmergencySolution.sln was not found above " + AppContext.BaseDirectory), "SolutionPackage", "src");
            }
        }

        public static InMemoryOrganization Bare() => new InMemoryOrganization();

        public static InMemoryOrganization WithSolution()
        {
            var organization = new InMemoryOrganization();
            organization.LoadSolution(SolutionFolder, typeof(TraceContextPlugin).Assembly);
            return organization;
        }

        public static string[] TracesOf(this InMemoryOrganization organization, string label) =>
            organization.Traces.Where(t => t.StartsWith("[" + label + "]", StringComparison.Ordinal)).ToArray();
    }
}
