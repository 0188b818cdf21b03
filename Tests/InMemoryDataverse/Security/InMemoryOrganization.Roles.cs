using System;
using System.Collections.Generic;
using System.Linq;
using EmergencySolution.SolutionReader;

namespace InMemoryDataverse
{
    public sealed partial class InMemoryOrganization
    {
        /// <summary>
        /// Defines only the roles of an unpacked solution folder (Roles/*.xml, with each privilege's depth), for tests
        /// that check privileges without loading the plugins.
        /// </summary>
        public void LoadRoles(string solutionSourceFolder) => DefineRoles(SolutionSource.Load(solutionSourceFolder).Roles);

        private void DefineRoles(IEnumerable<EmergencySolution.SolutionReader.RoleDefinition> roles)
        {
            foreach (var role in roles)
            {
                DefineRole(role.Name, role.Id == Guid.Empty ? Guid.NewGuid() : role.Id, role.Privileges
                    .Where(p => p.Name.Length > 0)
                    .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => g.Max(p => RecordAccess.ParseDepth(p.Level)), StringComparer.OrdinalIgnoreCase));
            }
        }
    }
}
