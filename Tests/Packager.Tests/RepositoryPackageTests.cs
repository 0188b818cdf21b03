using System.Text.Json;
using EmergencySolution.Packager.Checks;
using EmergencySolution.Packager.Model;
using EmergencySolution.Packager.Packing;

namespace EmergencySolution.Packager.Tests;

/// <summary>The repository's own SolutionPackage/src and pac-config, without building anything.</summary>
[TestClass]
public sealed class RepositoryPackageTests
{
    private static string Root => FixtureSolution.RepositoryRoot;

    private static SolutionSource RealSource() => SolutionSource.Load(Path.Combine(Root, "SolutionPackage", "src"));

    [TestMethod]
    public void RealSrc_PackedCustomizations_ValidateAgainstSchemaAndExportShapes()
    {
        var source = RealSource();
        var schemas = Path.Combine(Root, "SolutionPackage", "schemas");
        var report = new CheckReport();
        var customizations = CustomizationsComposer.Compose(source);

        foreach (var managed in new[] { false, true })
        {
            // Assemblies and web resource files are left out (nothing is built here); every XML file is in.
            var layout = PackageLayout.Build(source, customizations, managed, new Dictionary<string, string>(), Path.Combine(Root, "WebResources", "dist"));
            PackCommand.ValidatePackage(managed ? "managed.zip" : "unmanaged.zip", layout, new SchemaCheck(schemas), new ShapeCheck(Path.Combine(schemas, "reference-exports")), report);
        }

        Assert.IsEmpty(source.LoadFailures, string.Join("\n", source.LoadFailures));
        Assert.IsFalse(report.HasFailures, string.Join("\n", report.Failures));
    }

    [TestMethod]
    public void RealSrc_Tables_HaveTheDesignedColumnsAndKey()
    {
        var source = RealSource();
        string[] Columns(string table) => source.Entities.Single(e => e.LogicalName == table).EntityFile.Root
            .Descendants("attribute").Select(a => a.Element("LogicalName")!.Value).ToArray();

        CollectionAssert.IsSubsetOf(new[] { "emc_name", "emc_agentid", "emc_conversationid", "emc_dialednumber", "emc_countrycode", "emc_location",
            "emc_startedon", "emc_endedon", "emc_priorpresenceid", "emc_callbacknumberid", "emc_callbackexpireson", "emc_notificationstatus",
            "emc_notificationerror", "emc_warnings", "emc_originpath", "emc_callbackdetails", "emc_lefttoplatform", "statecode", "statuscode" },
            Columns("emc_emergencycall"));
        CollectionAssert.IsSubsetOf(new[] { "emc_number", "emc_countrycode", "emc_emergencycallid", "emc_agentid", "emc_leaseexpireson" }, Columns("emc_callbacknumber"));
        // The recipients live in Contact Center's own msdyn_emergencyemailrecipients (docs/platform.md): no systemuser column of ours.
        Assert.IsFalse(source.Entities.Any(e => e.LogicalName == "systemuser"), "the solution adds no column to systemuser");
        var key = source.Entities.Single(e => e.LogicalName == "emc_callbacknumber").EntityFile.Root.Descendants("EntityKey").Single();
        Assert.AreEqual("emc_number_key", key.Element("LogicalName")!.Value);
        Assert.AreEqual("emc_number", key.Descendants("AttributeName").Single().Value);
        var choice = source.Entities.Single(e => e.LogicalName == "emc_emergencycall").EntityFile.Root.Descendants("attribute")
            .Single(a => a.Element("LogicalName")!.Value == "emc_notificationstatus").Descendants("option").Select(o => (int)o.Attribute("value")!).ToArray();
        CollectionAssert.AreEqual(new[] { 410750000, 410750001, 410750002, 410750003, 410750004 }, choice);
    }

    [TestMethod]
    public void RealSrc_Roles_GrantTheAgentOnlyItsOwnEmergencyCalls()
    {
        var agent = RealSource().Roles.Single(r => r.Name == "Emergency Calling Agent");
        var privileges = agent.Privileges.ToDictionary(p => p.Name, p => p.Level);

        Assert.AreEqual("Basic", privileges["prvReademc_EmergencyCall"]);
        Assert.IsFalse(privileges.ContainsKey("prvCreateemc_EmergencyCall") || privileges.ContainsKey("prvWriteemc_EmergencyCall"),
            "Start and End write the call row as SYSTEM; an agent's direct write is refused by the role");
        Assert.IsFalse(privileges.Keys.Any(k => k.EndsWith("emc_CallbackNumber", StringComparison.OrdinalIgnoreCase)), "the custom APIs lease numbers as SYSTEM");
        Assert.IsFalse(privileges.ContainsKey("prvDeleteemc_EmergencyCall"));
        Assert.AreEqual("Global", privileges["prvReadEmailTemplate"], "InstantiateTemplate needs prvReadEmailTemplate");
    }

    /// <summary>
    /// Microsoft's form commands as real definitions have them: Mscrm.SavePrimary and Mscrm.SaveAndClosePrimary as
    /// Microsoft's own FieldServiceReporting RibbonDiff.xml redefines them (shared/reference, MIT), and
    /// Mscrm.Modern.refreshCommand as a RetrieveEntityRibbon dump shows it. Our redefinition may add exactly one rule, ours, last.
    /// </summary>
    [TestMethod]
    [DataRow("Mscrm.SavePrimary", "Mscrm.AvailableOnForm,Mscrm.CanSavePrimary,Mscrm.ReadPrimaryPermission,Mscrm.IsAutoSaveDisable,Mscrm.IsEntityAvailableForUserInMocaOffline", "Mscrm.CanSavePrimaryEntityType", "XrmCore.Commands.Save.saveForm", "PrimaryControl")]
    [DataRow("Mscrm.SaveAndClosePrimary", "Mscrm.IsAutoSaveDisable,Mscrm.AvailableOnForm,Mscrm.CanSavePrimary,Mscrm.IsEntityAvailableForUserInMocaOffline", "Mscrm.CanSaveAndClosePrimaryEntityType", "XrmCore.Commands.Save.saveAndCloseForm", "PrimaryControl")]
    [DataRow("Mscrm.Modern.refreshCommand", "Mscrm.FormStateNotNew", "", "XrmCore.Commands.Refresh.refreshCommand", "SelectedControl")]
    public void RealSrc_ConversationRibbon_RedefinesTheCommandWholeWithOnlyOurRuleAdded(string command, string platformRules, string displayRules, string function, string parameter)
    {
        var ribbon = RealSource().Table("msdyn_ocliveworkitem")!.RibbonDiff!.Root;
        var definition = ribbon.Descendants("CommandDefinition").Single(c => (string?)c.Attribute("Id") == command);
        var rules = definition.Element("EnableRules")!.Elements("EnableRule").Select(r => (string)r.Attribute("Id")!).ToList();

        CollectionAssert.AreEqual(platformRules.Split(',').Append("emc.msdyn_ocliveworkitem.NotDuringEmergencyCall").ToList(), rules);
        CollectionAssert.AreEqual(displayRules.Split(',', StringSplitOptions.RemoveEmptyEntries),
            definition.Element("DisplayRules")!.Elements("DisplayRule").Select(r => (string)r.Attribute("Id")!).ToArray());
        var action = definition.Element("Actions")!.Elements().Single();
        Assert.AreEqual(function, (string?)action.Attribute("FunctionName"));
        Assert.AreEqual("$webresource:Main_system_library.js", (string?)action.Attribute("Library"));
        Assert.AreEqual(parameter, (string?)action.Elements("CrmParameter").Single().Attribute("Value"));
    }

    [TestMethod]
    public void DeploymentSettings_ListsEveryEnvironmentVariableOfSrcWithItsDefault()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "pac-config", "deploymentSettings.json")));
        var values = settings.RootElement.GetProperty("EnvironmentVariables").EnumerateArray()
            .ToDictionary(v => v.GetProperty("SchemaName").GetString()!, v => v.GetProperty("Value").GetString());
        var defaults = RealSource().EnvironmentVariables.ToDictionary(v => (string)v.Root.Attribute("schemaname")!, v => v.Root.Element("defaultvalue")?.Value);

        CollectionAssert.AreEquivalent(defaults.Keys.ToList(), values.Keys.ToList());
        foreach (var (name, value) in defaults) Assert.AreEqual(value, values[name], name);
        Assert.AreEqual(0, settings.RootElement.GetProperty("ConnectionReferences").GetArrayLength());
    }
}
