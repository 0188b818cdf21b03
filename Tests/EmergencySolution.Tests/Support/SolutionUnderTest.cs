using EmergencySolution.CustomApis;
using EmergencySolution.Plugins;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Support
{
    /// <summary>
    /// An in-memory organization wired by the solution's own registrations (SolutionPackage/src: steps, custom APIs,
    /// roles, environment variables, templates) and both plugin assemblies, seeded with <see cref="OmnichannelSeed.Standard"/>.
    /// The request log starts empty, so round-trip assertions count only what the test does. Privilege checks are on
    /// (<see cref="InMemoryOrganization.EnforceTablePrivileges"/>): act as a user through <see cref="ActAs"/>.
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
            foreach (var agent in seed.Agents.Where(a => a.CurrentPresenceId.HasValue && a.HoldsOmnichannelAgentRole))
            {
                // Agents who sign in to Omnichannel hold its agent role: Contact Center's presence API requires it.
                organization.AssignRole(agent.Id, MicrosoftRoles.OmnichannelAgent);
            }

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
            // A Contact Center org: CCaaS_ModifyAgentPresence and CCaaS_GetPresence answer as documented.
            organization.EnableContactCenterPresence();
            MicrosoftRoles.Define(organization);
            // Dataverse checks every caller but SYSTEM; so do these organizations, from the start (PrivilegeCensus holds
            // every test to it). Whom a test acts as, and with which roles: ActAs.
            organization.EnforceTablePrivileges = true;
            PrivilegeCensus.Track(organization);
            organization.ClearRequestLog();
            return organization;
        }

        /// <summary>
        /// Sets the current value of a shipped environment variable, as an admin does after import: the value row
        /// overrides the definition's default.
        /// </summary>
        public static void SetEnvironmentVariable(InMemoryOrganization org, string schemaName, string value)
        {
            var system = org.GetOrganizationService();
            var definition = org.GetRecords("environmentvariabledefinition").SingleOrDefault(d => d.GetAttributeValue<string>("schemaname") == schemaName)
                ?? throw new InvalidOperationException("The solution ships no environment variable " + schemaName + ".");
            var existing = org.GetRecords("environmentvariablevalue")
                .FirstOrDefault(v => v.GetAttributeValue<EntityReference>("environmentvariabledefinitionid")?.Id == definition.Id);
            if (existing != null)
            {
                system.Update(new Entity("environmentvariablevalue", existing.Id) { ["value"] = value });
                return;
            }

            system.Create(new Entity("environmentvariablevalue")
            {
                ["schemaname"] = schemaName,
                ["value"] = value,
                ["environmentvariabledefinitionid"] = new EntityReference("environmentvariabledefinition", definition.Id),
            });
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
