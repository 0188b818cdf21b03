using System.Xml.Linq;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Support
{
    /// <summary>
    /// The people and services the tests act as, each holding the roles the docs say they need (docs/security.md) and
    /// the Microsoft roles a real org gives them (<see cref="MicrosoftRoles"/>). Privilege checks are on in every
    /// organization <see cref="SolutionUnderTest"/> makes, so a service from here is checked as Dataverse checks it.
    /// To show a refusal, act through <c>org.CreateOrganizationService(id)</c> for a user without the role.
    /// </summary>
    public static class ActAs
    {
        /// <summary>The callback router's application user (docs/router.md).</summary>
        public static readonly Guid RouterUser = new Guid("a4000000-0000-4000-8000-0000000000c1");

        /// <summary>A supervisor in the agents' business unit.</summary>
        public static readonly Guid SupervisorUser = new Guid("a4000000-0000-4000-8000-0000000000b1");

        /// <summary>Contact Center's own writer of conversations, contexts, transcripts and recordings.</summary>
        public static readonly Guid ContactCenterServiceUser = new Guid("a4000000-0000-4000-8000-0000000000cc");

        /// <summary>An agent with Emergency Calling Agent (agents who place emergency calls); the seed gives agents who sign in to Omnichannel its agent role.</summary>
        public static IOrganizationService Agent(InMemoryOrganization org, Guid agentId)
        {
            org.AssignRole(agentId, "Emergency Calling Agent");
            return org.CreateOrganizationService(agentId);
        }

        /// <summary>
        /// An agent whose Emergency Calling Agent role was customised to lack <paramref name="missing"/> (privilege
        /// names as in Roles/*.xml): the shipped role's other privileges, at their shipped depths, in a role of its own.
        /// </summary>
        public static IOrganizationService AgentWhoseRoleLacks(InMemoryOrganization org, Guid agentId, params string[] missing)
        {
            var shipped = XDocument.Load(Path.Combine(SolutionUnderTest.SolutionSourceFolder, "Roles", "Emergency Calling Agent.xml"));
            var kept = shipped.Descendants("RolePrivilege")
                .Where(p => !missing.Contains((string)p.Attribute("name")!, StringComparer.OrdinalIgnoreCase))
                .ToDictionary(p => (string)p.Attribute("name")!, p => ParseDepth((string)p.Attribute("level")!), StringComparer.OrdinalIgnoreCase);
            Assert.AreEqual(shipped.Descendants("RolePrivilege").Count() - missing.Length, kept.Count, "every missing privilege is one the shipped role has");
            var name = "Emergency Calling Agent without " + string.Join(", ", missing);
            org.DefineRole(name, Guid.NewGuid(), kept);
            org.AssignRole(agentId, name);
            return org.CreateOrganizationService(agentId);
        }

        // Roles/*.xml levels (Basic, Local, Deep, Global) are the enum's names.
        private static PrivilegeDepth ParseDepth(string level) => (PrivilegeDepth)Enum.Parse(typeof(PrivilegeDepth), level);

        /// <summary>The seeded administrator with Emergency Calling Administrator (recipients, callback numbers, template, clean-up).</summary>
        public static IOrganizationService Administrator(InMemoryOrganization org)
        {
            org.AssignRole(OmnichannelSeed.AdminUser, "Emergency Calling Administrator");
            return org.CreateOrganizationService(OmnichannelSeed.AdminUser);
        }

        /// <summary>The router's application user with Emergency Callback Router only.</summary>
        public static IOrganizationService Router(InMemoryOrganization org)
        {
            org.AssignRole(RouterUser, "Emergency Callback Router");
            return org.CreateOrganizationService(RouterUser);
        }

        /// <summary>A supervisor with Microsoft's Omnichannel supervisor role (none of ours).</summary>
        public static IOrganizationService Supervisor(InMemoryOrganization org, Guid? supervisorId = null)
        {
            var id = supervisorId ?? SupervisorUser;
            org.AssignRole(id, MicrosoftRoles.OmnichannelSupervisor);
            return org.CreateOrganizationService(id);
        }

        /// <summary>Contact Center's service identity (<see cref="MicrosoftRoles.ContactCenterService"/>, none of ours).</summary>
        public static IOrganizationService ContactCenterService(InMemoryOrganization org)
        {
            org.AssignRole(ContactCenterServiceUser, MicrosoftRoles.ContactCenterService);
            return org.CreateOrganizationService(ContactCenterServiceUser);
        }
    }
}
