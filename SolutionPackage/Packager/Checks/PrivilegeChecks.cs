using System.Text.RegularExpressions;
using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Checks;

/// <summary>
/// Every privilege a role grants and every custom API's executeprivilegename is a name Dataverse has: a platform
/// privilege from <see cref="PlatformPrivileges"/>, or prv&lt;Access&gt;&lt;SchemaName&gt; of a table this solution creates,
/// with the table's SchemaName casing (prvCreateemc_EmergencyCall), as real exports write them.
/// </summary>
public static class PrivilegeChecks
{
    private static readonly Regex TablePrivilege = new("^prv(Create|Read|Write|Delete|AppendTo|Append|Assign|Share)(.+)$", RegexOptions.CultureInvariant);

    public static void Run(SolutionSource source, CheckReport report)
    {
        foreach (var role in source.Roles)
            foreach (var grant in role.Privileges)
                Check(source, grant.Name, role.RelativePath, $"role '{role.Name}': privilege", report);
        foreach (var api in source.CustomApis)
            if (api.ExecutePrivilegeName is { } privilege)
                Check(source, privilege, api.Api.RelativePath, "executeprivilegename", report);
    }

    private static void Check(SolutionSource source, string name, string file, string what, CheckReport report)
    {
        if (PlatformPrivileges.Sources.ContainsKey(name)) return;
        if (PlatformPrivileges.Mistaken.TryGetValue(name, out var instead))
        {
            report.Fail(file, $"{what} '{name}' does not exist in Dataverse; use {instead}");
            return;
        }
        var match = TablePrivilege.Match(name);
        var table = match.Success ? source.Entities.FirstOrDefault(e => e.IsDefinedHere && string.Equals(e.SchemaName, match.Groups[2].Value, StringComparison.OrdinalIgnoreCase)) : null;
        if (table == null)
        {
            report.Fail(file, $"{what} '{name}' is not a Dataverse privilege: neither a platform privilege listed in Checks/PlatformPrivileges.cs nor prv<Access><SchemaName> of a table of this solution");
            return;
        }
        var access = match.Groups[1].Value;
        var expected = "prv" + access + table.SchemaName;
        if (!string.Equals(name, expected, StringComparison.Ordinal))
            report.Fail(file, $"{what} '{name}' must be written '{expected}': Dataverse names a table's privileges after its SchemaName");
        else if (access is "Assign" or "Share" && table.OwnershipType == "OrganizationOwned")
            report.Fail(file, $"{what} '{name}' does not exist: {table.SchemaName} is organization-owned, so it has no Assign or Share privilege");
    }
}
