using EmergencySolution.CustomApis;
using EmergencySolution.Plugins;
using InMemoryDataverse;

namespace EmergencySolution.Tests.Support
{
    /// <summary>
    /// An in-memory organization wired by the solution's own registrations (SolutionPackage/src: steps, custom APIs,
    /// roles, environment variables, templates) and both plugin assemblies, seeded with <see cref="OmnichannelSeed.Standard"/>.
    /// The request log starts empty, so round-trip assertions count only what the test does.
    /// </summary>
    public static class SolutionUnderTest
    {
        private static readonly Lazy<string> Root = new Lazy<string>(FindRepositoryRoot);

        /// <summary>The checkout's root folder (the one holding EmergencySolution.sln).</summary>
        public static string RepositoryRoot => Root.Value;

        public static string SolutionSourceFolder => Path.Combine(RepositoryRoot, "SolutionPackage", "src");

        /// <summary>The organization with the solution loaded and the standard Omnichannel seed, optionally adjusted first.</summary>
        public static InMemoryOrganization Create(Action<OmnichannelSeed>? adjustSeed = null)
        {
            var organization = CreateWithoutSeed();
            var seed = OmnichannelSeed.Standard(organization.UtcNow);
            adjustSeed?.Invoke(seed);
            organization.Initialize(seed.Build());
            organization.ClearRequestLog();
            organization.ClearTraces();
            return organization;
        }

        /// <summary>The organization with only the solution loaded (environment variables, templates, roles).</summary>
        public static InMemoryOrganization CreateWithoutSeed()
        {
            var organization = new InMemoryOrganization();
            organization.LoadSolution(SolutionSourceFolder,
                typeof(NotificationRecipientsPlugin).Assembly,
                typeof(GetEmergencyReadinessApi).Assembly);
            organization.ClearRequestLog();
            return organization;
        }

        private static string FindRepositoryRoot()
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory != null && !File.Exists(Path.Combine(directory.FullName, "EmergencySolution.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName
                ?? throw new InvalidOperationException("EmergencySolution.sln was not found above " + AppContext.BaseDirectory + ".");
        }
    }
}
