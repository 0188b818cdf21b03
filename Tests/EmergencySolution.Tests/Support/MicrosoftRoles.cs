using InMemoryDataverse;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Support
{
    /// <summary>
    /// Stand-ins for Microsoft's own roles, which a real Contact Center org gives the people and services our tests act
    /// as besides the solution's roles. Microsoft publishes the names of these roles, not their privilege lists, so each
    /// stand-in holds only the privileges the tests exercise, each for the reason written next to it. Whatever a test
    /// user can do beyond our shipped roles (SolutionPackage/src/Roles) comes from here and is listed in
    /// docs/security.md ("What the tests grant beyond our roles").
    /// </summary>
    public static class MicrosoftRoles
    {
        /// <summary>Microsoft's agent role; also what Contact Center's presence API asks of its caller.</summary>
        public const string OmnichannelAgent = "Omnichannel agent";

        /// <summary>Microsoft's supervisor role; also accepted by the presence API.</summary>
        public const string OmnichannelSupervisor = "Omnichannel supervisor";

        /// <summary>
        /// The identity Contact Center writes conversations, their telephony context, transcripts and recordings with.
        /// Microsoft does not document which identity or role that is; a test that writes those rows acts as it.
        /// </summary>
        public const string ContactCenterService = "Contact Center service (stand-in)";

        private static readonly Guid ContactCenterServiceRoleId = new Guid("a9000000-0000-4000-8000-0000000000c5");

        /// <summary>Gives the Microsoft roles their stand-in privileges (the roles exist once Contact Center presence is enabled).</summary>
        public static void Define(InMemoryOrganization org)
        {
            org.DefineRole(OmnichannelAgent, RoleId(org, OmnichannelAgent), new Dictionary<string, PrivilegeDepth>
            {
                // An agent works their own conversations: the session opens (and, outbound, creates) and closes them.
                ["prvCreatemsdyn_ocliveworkitem"] = PrivilegeDepth.Basic,
                ["prvReadmsdyn_ocliveworkitem"] = PrivilegeDepth.Basic,
                ["prvWritemsdyn_ocliveworkitem"] = PrivilegeDepth.Basic,
            });
            org.DefineRole(OmnichannelSupervisor, RoleId(org, OmnichannelSupervisor), new Dictionary<string, PrivilegeDepth>
            {
                // A supervisor monitors and may close the conversations of the agents in their business unit.
                ["prvReadmsdyn_ocliveworkitem"] = PrivilegeDepth.Local,
                ["prvWritemsdyn_ocliveworkitem"] = PrivilegeDepth.Local,
            });
            var service = new Dictionary<string, PrivilegeDepth>();
            foreach (var table in new[] { "msdyn_ocliveworkitem", "msdyn_ocphonecallengagementctx", "msdyn_transcript", "msdyn_ocrecording", "Activity" })
            {
                // The platform's own writer of conversations and their history, organization-wide, lookups included.
                foreach (var access in new[] { "Create", "Read", "Write", "Append", "AppendTo" })
                {
                    service["prv" + access + table] = PrivilegeDepth.Global;
                }
            }

            // A conversation names its agent (msdyn_activeagentid).
            service["prvReadUser"] = PrivilegeDepth.Global;
            service["prvAppendToUser"] = PrivilegeDepth.Global;

            org.DefineRole(ContactCenterService, ContactCenterServiceRoleId, service);
        }

        private static Guid RoleId(InMemoryOrganization org, string name) =>
            org.GetRecords("role").FirstOrDefault(r => r.GetAttributeValue<string>("name") == name)?.Id
            ?? throw new InvalidOperationException("The role '" + name + "' does not exist: enable Contact Center presence first.");
    }
}
