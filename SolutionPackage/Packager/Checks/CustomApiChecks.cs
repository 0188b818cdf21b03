using System.Xml.Linq;
using EmergencySolution.Packager.Model;

namespace EmergencySolution.Packager.Checks;

/// <summary>customapis/&lt;uniquename&gt;/…: the plugin link, parameter types, isoptional, functions' responses.</summary>
public static class CustomApiChecks
{
    /// <summary>0 Boolean … 12 Guid (customapirequestparameter/customapiresponseproperty "type").</summary>
    private const int HighestTypeCode = 12;

    public static void Run(SolutionSource source, string publisherPrefix, CheckReport report)
    {
        var pluginTypeIds = source.PluginAssemblies.SelectMany(a => a.PluginTypes).Select(t => t.Id).ToHashSet();
        var grantedPrivileges = source.Roles.SelectMany(r => r.Privileges).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var api in source.CustomApis)
        {
            var file = api.Api.RelativePath;
            var root = api.Api.Root;
            var uniqueName = api.UniqueName;
            var folderName = Path.GetFileName(api.RelativeFolder);
            if (!string.Equals(folderName, uniqueName, StringComparison.Ordinal))
                report.Fail(file, $"uniquename '{uniqueName}' differs from its folder '{folderName}'");
            if (!uniqueName.StartsWith(publisherPrefix + "_", StringComparison.Ordinal))
                report.Fail(file, $"uniquename '{uniqueName}' must start with the publisher prefix '{publisherPrefix}_'");

            var link = root.Element("plugintypeid");
            var key = link?.Element("plugintypeexportkey")?.Value ?? link?.Element("plugintypeid")?.Value;
            if (key == null)
                report.Fail(file, "plugintypeid has no plugintypeexportkey: the API would have no implementation");
            else if (!pluginTypeIds.Contains(SolutionSource.ParseGuid(key)))
                report.Fail(file, $"plugintypeexportkey '{key.Trim()}' is not a plugin type of any PluginAssemblies/*.dll.data.xml");

            // An execute privilege that none of our roles grants leaves the API callable by administrators only.
            var privilege = api.ExecutePrivilegeName;
            if (!string.IsNullOrEmpty(privilege) && source.Roles.Count > 0 && !grantedPrivileges.Contains(privilege))
                report.Fail(file, $"executeprivilegename '{privilege}' is granted by none of the solution's roles (Roles/*.xml)");

            if (root.Element("isfunction")?.Value.Trim() == "1" && api.ResponseProperties.Count == 0)
                report.Fail(file, "a function (isfunction 1) must have at least one response property");

            foreach (var parameter in api.RequestParameters) CheckMember(parameter.File, "customapirequestparameter", isResponse: false, report);
            foreach (var property in api.ResponseProperties) CheckMember(property.File, "customapiresponseproperty", isResponse: true, report);
        }
    }

    private static void CheckMember(SourceXml member, string expectedRoot, bool isResponse, CheckReport report)
    {
        var file = member.RelativePath;
        var root = member.Root;
        if (root.Name.LocalName != expectedRoot)
            report.Fail(file, $"root element is <{root.Name.LocalName}>, expected <{expectedRoot}>");
        var uniqueName = (string?)root.Attribute("uniquename") ?? "";
        var folderName = Path.GetFileName(Path.GetDirectoryName(file) ?? "");
        if (!string.Equals(folderName, uniqueName, StringComparison.Ordinal))
            report.Fail(file, $"uniquename '{uniqueName}' differs from its folder '{folderName}'");
        var typeText = root.Element("type")?.Value.Trim();
        if (!int.TryParse(typeText, out var type) || type < 0 || type > HighestTypeCode)
            report.Fail(file, $"type '{typeText}' is not a custom API type code (0 Boolean … 12 Guid)");
        if (isResponse && root.Element("isoptional") != null)
            report.Fail(file, "isoptional is only allowed on request parameters; on a response property it fails the import");
        if (!isResponse && root.Element("isoptional") is XElement optional && optional.Value.Trim() is not ("0" or "1"))
            report.Fail(file, $"isoptional '{optional.Value}' is not 0 or 1");
    }
}
