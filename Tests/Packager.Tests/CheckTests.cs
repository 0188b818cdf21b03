using System.Xml.Linq;

namespace EmergencySolution.Packager.Tests;

/// <summary>Each check, failing on a broken copy of the fixture src with the file and a reason that says what to fix.</summary>
[TestClass]
public sealed class CheckTests
{
    private const string Ns = "EmergencySolution.Packager.Tests.FixturePlugins.";

    internal static void AssertFails(Action<FixtureSolution> breakIt, string file, string reason)
    {
        using var fixture = new FixtureSolution();
        breakIt(fixture);

        var result = fixture.Pack();

        Assert.IsFalse(result.Succeeded, "a broken src must not pack");
        Assert.IsFalse(File.Exists(fixture.ZipPath(managed: false)), "no zip is written when a check fails");
        Assert.IsTrue(result.Failures.Any(f => f.File.Contains(file, StringComparison.Ordinal) && f.Reason.Contains(reason, StringComparison.Ordinal)),
            $"expected a failure '{file}: …{reason}…' among:\n{string.Join("\n", result.Failures)}");
        StringAssert.Contains(fixture.Log, "FAILED:");
    }

    private static void EditPluginType(FixtureSolution fixture, string typeName, Action<XElement> edit) =>
        fixture.EditXml(FixtureSolution.AssemblyDataFile, root => edit(root.Descendants("PluginType").Single(t => (string?)t.Attribute("Name") == Ns + typeName)));

    [TestMethod]
    public void PluginType_NotInBuiltAssembly_Fails() => AssertFails(
        f => EditPluginType(f, "FixtureApiPlugin", t =>
        {
            t.SetAttributeValue("Name", Ns + "MissingPlugin");
            t.SetAttributeValue("AssemblyQualifiedName", ((string)t.Attribute("AssemblyQualifiedName")!).Replace("FixtureApiPlugin", "MissingPlugin"));
        }),
        FixtureSolution.AssemblyDataFile, "plugin type " + Ns + "MissingPlugin (11111111-aaaa-4bbb-8ccc-000000000002) does not exist in the built Packager.Tests.dll");

    [TestMethod]
    public void PluginType_WithoutIPlugin_Fails() => AssertFails(
        f => EditPluginType(f, "FixtureApiPlugin", t =>
        {
            t.SetAttributeValue("Name", Ns + "NotAPlugin");
            t.SetAttributeValue("AssemblyQualifiedName", ((string)t.Attribute("AssemblyQualifiedName")!).Replace("FixtureApiPlugin", "NotAPlugin"));
        }),
        FixtureSolution.AssemblyDataFile, "plugin type " + Ns + "NotAPlugin does not implement Microsoft.Xrm.Sdk.IPlugin");

    [TestMethod]
    public void PluginType_AbstractBase_Fails() => AssertFails(
        f => EditPluginType(f, "FixtureApiPlugin", t =>
        {
            t.SetAttributeValue("Name", Ns + "FixturePluginBase");
            t.SetAttributeValue("AssemblyQualifiedName", ((string)t.Attribute("AssemblyQualifiedName")!).Replace("FixtureApiPlugin", "FixturePluginBase"));
        }),
        FixtureSolution.AssemblyDataFile, "must be a public, non-abstract class");

    [TestMethod]
    public void Assembly_SignatureBroken_Fails()
    {
        using var fixture = new FixtureSolution();
        var tampered = Path.Combine(fixture.Root, "Packager.Tests.dll");
        File.WriteAllBytes(tampered, StrongNameVerifierTests.TamperedFixtureAssembly());
        var options = fixture.Options();
        var log = new StringWriter();

        var result = PackCommand.Run(new PackagerOptions
        {
            RepositoryRoot = options.RepositoryRoot, SrcDirectory = options.SrcDirectory, WebResourceDist = options.WebResourceDist,
            OutDirectory = options.OutDirectory, SchemaDirectory = options.SchemaDirectory, BuildAssemblies = false,
            AssemblyFiles = new Dictionary<string, string> { ["Packager.Tests"] = tampered },
        }, log);

        Assert.IsFalse(result.Succeeded);
        Assert.IsTrue(result.Failures.Any(f => f.File == FixtureSolution.AssemblyDataFile
            && f.Reason.Contains("the built Packager.Tests.dll is not validly strong-name signed: the strong-name signature does not match", StringComparison.Ordinal)),
            string.Join("\n", result.Failures));
    }

    [TestMethod]
    public void AssemblyFullName_WrongPublicKeyToken_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.AssemblyDataFile, root => root.SetAttributeValue("FullName", "Packager.Tests, Version=1.0.0.0, Culture=neutral, PublicKeyToken=0123456789abcdef")),
        FixtureSolution.AssemblyDataFile, "does not match the built assembly 'Packager.Tests, Version=1.0.0.0, Culture=neutral, PublicKeyToken=f6b076048dcd39f3'");

    [TestMethod]
    public void AssemblyFullName_WrongVersion_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.AssemblyDataFile, root => root.SetAttributeValue("FullName", "Packager.Tests, Version=2.0.0.0, Culture=neutral, PublicKeyToken=f6b076048dcd39f3")),
        FixtureSolution.AssemblyDataFile, "(name, version, culture and public key token must all match)");

    [TestMethod]
    public void Step_UpdateWithoutFilteringAttributes_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.UpdateStepFile, root => root.Element("FilteringAttributes")!.Value = ""),
        FixtureSolution.UpdateStepFile, "meta-avoid-reg-no-attribute: an Update step without filtering attributes runs on every update of emc_callbacknumber");

    [TestMethod]
    public void Step_UpdateWithoutFilteringAttributesDocumentedAsException_Packs()
    {
        using var fixture = new FixtureSolution();
        fixture.EditXml(FixtureSolution.UpdateStepFile, root =>
        {
            root.Element("FilteringAttributes")!.Value = "";
            root.AddFirst(new XComment(" solution checker exception meta-avoid-reg-no-attribute: the fixture watches every column on purpose. "));
        });

        var result = fixture.Pack();

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Failures));
    }

    [TestMethod]
    public void Step_SameRegistrationTwice_Fails() => AssertFails(
        f =>
        {
            var copy = XDocument.Load(f.SrcFile(FixtureSolution.UpdateStepFile));
            copy.Root!.SetAttributeValue("SdkMessageProcessingStepId", "{22222222-aaaa-4bbb-8ccc-0000000000d2}");
            foreach (var (image, i) in copy.Descendants("SdkMessageProcessingStepImageId").Select((e, i) => (e, i)))
                image.Value = $"{{33333333-aaaa-4bbb-8ccc-0000000000d{i}}}";
            copy.Save(f.SrcFile("SdkMessageProcessingSteps/{22222222-aaaa-4bbb-8ccc-0000000000d2}.xml"));
        },
        "SdkMessageProcessingSteps/{22222222-aaaa-4bbb-8ccc-0000000000d2}.xml", "meta-remove-dup-reg: registers the same plugin type, message, table, stage, mode and filtering attributes as");

    [TestMethod]
    public void Step_ConfigurationUnderAnotherName_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.CreateStepFile, root => root.Element("Configuration")!.Name = "CustomConfiguration"),
        FixtureSolution.CreateStepFile, "CustomConfiguration is not an element of a step: real exports write the unsecure configuration as <Configuration>");

    [TestMethod]
    public void Step_UnknownMessageId_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.UpdateStepFile, root => root.Element("SdkMessageId")!.Value = "00000000-1111-2222-3333-444444444444"),
        FixtureSolution.UpdateStepFile, "SdkMessageId '00000000-1111-2222-3333-444444444444' is not a known message");

    [TestMethod]
    public void Step_Stage30_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.CreateStepFile, root => root.Element("Stage")!.Value = "30"),
        FixtureSolution.CreateStepFile, "Stage '30' is not 10 (pre-validation), 20 (pre-operation) or 40 (post-operation)");

    [TestMethod]
    public void Step_AsyncAtPreOperation_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.UpdateStepFile, root =>
        {
            root.Element("Stage")!.Value = "20";
            root.Descendants("SdkMessageProcessingStepImage").Where(i => i.Element("ImageType")!.Value == "1").Remove();
        }),
        FixtureSolution.UpdateStepFile, "Mode 1 (asynchronous) is only allowed at stage 40 (post-operation), not at stage 20");

    [TestMethod]
    public void Step_CreateWithPreImage_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.CreateStepFile, root => root.Descendants("ImageType").Single().Value = "0"),
        FixtureSolution.CreateStepFile, "image PostImage: Create has no pre-image (only a post-image)");

    [TestMethod]
    public void Step_PostImageBeforePostOperation_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.CreateStepFile, root => root.Element("Stage")!.Value = "20"),
        FixtureSolution.CreateStepFile, "a post-image exists only at stage 40 (post-operation), not at stage 20");

    [TestMethod]
    public void Step_FilteringAttributesOnCreate_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.CreateStepFile, root => root.Element("FilteringAttributes")!.Value = "emc_number"),
        FixtureSolution.CreateStepFile, "FilteringAttributes 'emc_number' are only allowed on Update, not on Create");

    [TestMethod]
    public void Step_ImageOnWrongMessageProperty_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.CreateStepFile, root => root.Descendants("MessagePropertyName").Single().Value = "Target"),
        FixtureSolution.CreateStepFile, "MessagePropertyName is 'Target', expected 'Id' for Create");

    [TestMethod]
    public void Step_UnregisteredPluginType_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.UpdateStepFile, root => root.Element("PluginTypeId")!.Value = "99999999-aaaa-4bbb-8ccc-000000000009"),
        FixtureSolution.UpdateStepFile, "PluginTypeId '99999999-aaaa-4bbb-8ccc-000000000009' is not a plugin type of any PluginAssemblies/*.dll.data.xml");

    [TestMethod]
    public void Step_NameNotInConvention_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.UpdateStepFile, root => root.SetAttributeValue("Name", "some step")),
        FixtureSolution.UpdateStepFile, "expected '" + Ns + "FixtureStepPlugin: Update of emc_callbacknumber'");

    [TestMethod]
    public void CustomApi_UnknownPluginType_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.ActionApiFile, root => root.Descendants("plugintypeexportkey").Single().Value = "99999999-aaaa-4bbb-8ccc-000000000009"),
        FixtureSolution.ActionApiFile, "plugintypeexportkey '99999999-aaaa-4bbb-8ccc-000000000009' is not a plugin type");

    [TestMethod]
    public void CustomApi_ExecutePrivilegeNoRoleGrants_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.ActionApiFile, root => root.Element("executeprivilegename")!.Value = "prvDeleteemc_CallbackNumber"),
        FixtureSolution.ActionApiFile, "executeprivilegename 'prvDeleteemc_CallbackNumber' is granted by none of the solution's roles");

    [TestMethod]
    public void CustomApi_ParameterTypeOutOfRange_Fails() => AssertFails(
        f => f.EditXml("customapis/emc_DoThing/customapirequestparameters/Input/customapirequestparameter.xml", root => root.Element("type")!.Value = "13"),
        "customapis/emc_DoThing/customapirequestparameters/Input/customapirequestparameter.xml", "type '13' is not a custom API type code");

    [TestMethod]
    public void CustomApi_ResponsePropertyWithIsOptional_Fails() => AssertFails(
        f => f.EditXml("customapis/emc_DoThing/customapiresponseproperties/Output/customapiresponseproperty.xml", root => root.Element("iscustomizable")!.AddAfterSelf(new XElement("isoptional", "0"))),
        "customapis/emc_DoThing/customapiresponseproperties/Output/customapiresponseproperty.xml", "isoptional is only allowed on request parameters");

    [TestMethod]
    public void CustomApi_FunctionWithoutResponse_Fails() => AssertFails(
        f => Directory.Delete(f.SrcFile(FixtureSolution.FunctionApiFolder + "/customapiresponseproperties"), recursive: true),
        FixtureSolution.FunctionApiFolder + "/customapi.xml", "a function (isfunction 1) must have at least one response property");

    [TestMethod]
    public void CustomApi_RootComponent_Fails() => AssertFails(
        f => f.EditXml("Other/Solution.xml", root => root.Descendants("RootComponents").Single().Add(new XElement("RootComponent", new XAttribute("type", "10421"), new XAttribute("schemaName", "emc_DoThing"), new XAttribute("behavior", "0")))),
        "Other/Solution.xml", "RootComponent for custom API 'emc_DoThing' must be removed: custom API root components break imports");

    [TestMethod]
    public void WebResource_BuiltFileMissing_Fails() => AssertFails(
        f => File.Delete(Path.Combine(f.Dist, "emc_", "scripts", "conversation_form.js")),
        "WebResources/emc_/scripts/conversation_form.js.data.xml", "the built file WebResources/dist/emc_/scripts/conversation_form.js is missing");

    [TestMethod]
    public void WebResource_TypeNotMatchingExtension_Fails() => AssertFails(
        f => f.EditXml("WebResources/emc_/scripts/conversation_form.js.data.xml", root => root.Element("WebResourceType")!.Value = "1"),
        "WebResources/emc_/scripts/conversation_form.js.data.xml", "WebResourceType 1 does not fit the extension");

    private const string Role = "Roles/Emergency Callback Router.xml";

    private static void AddRolePrivilege(FixtureSolution fixture, string name) =>
        fixture.EditXml(Role, root => root.Element("RolePrivileges")!.Add(new XElement("RolePrivilege", new XAttribute("name", name), new XAttribute("level", "Global"))));

    [TestMethod]
    public void Role_TemplatePrivilegeWithoutEmail_Fails() => AssertFails(
        f => AddRolePrivilege(f, "prvReadTemplate"),
        Role, "privilege 'prvReadTemplate' does not exist in Dataverse; use prvReadEmailTemplate");

    [TestMethod]
    public void Role_EnvironmentVariableValuePrivilege_Fails() => AssertFails(
        f => AddRolePrivilege(f, "prvWriteEnvironmentVariableValue"),
        Role, "privilege 'prvWriteEnvironmentVariableValue' does not exist in Dataverse; use prvWriteEnvironmentVariableDefinition");

    [TestMethod]
    public void Role_OurTablePrivilegeInLowercase_Fails() => AssertFails(
        f => f.EditXml(Role, root => root.Descendants("RolePrivilege").Single(p => (string?)p.Attribute("name") == "prvReademc_CallbackNumber").SetAttributeValue("name", "prvReademc_callbacknumber")),
        Role, "privilege 'prvReademc_callbacknumber' must be written 'prvReademc_CallbackNumber': Dataverse names a table's privileges after its SchemaName");

    [TestMethod]
    public void Role_PrivilegeOfNoTableAndNoPlatformName_Fails() => AssertFails(
        f => AddRolePrivilege(f, "prvReademc_NoSuchTable"),
        Role, "privilege 'prvReademc_NoSuchTable' is not a Dataverse privilege");

    [TestMethod]
    public void Role_ShareOnOrganizationOwnedTable_Fails() => AssertFails(
        f => AddRolePrivilege(f, "prvShareemc_CallbackNumber"),
        Role, "'prvShareemc_CallbackNumber' does not exist: emc_CallbackNumber is organization-owned");

    [TestMethod]
    public void CustomApi_ExecutePrivilegeInLowercase_Fails() => AssertFails(
        f => f.EditXml("customapis/emc_DoThing/customapi.xml", root => root.Element("executeprivilegename")!.Value = "prvReademc_callbacknumber"),
        "customapis/emc_DoThing/customapi.xml", "executeprivilegename 'prvReademc_callbacknumber' must be written 'prvReademc_CallbackNumber'");

    [TestMethod]
    public void Ids_SharedByTwoComponents_Fails() => AssertFails(
        f => f.EditXml("Roles/Emergency Callback Router.xml", root => root.SetAttributeValue("id", "{22222222-aaaa-4bbb-8ccc-000000000001}")),
        "Roles/Emergency Callback Router.xml", "uses id 22222222-aaaa-4bbb-8ccc-000000000001, already used by step");

    [TestMethod]
    public void Customizations_NotValidAgainstSchema_Fails() => AssertFails(
        f => f.EditXml("Entities/emc_CallbackNumber/Entity.xml", root => root.Descendants("attribute").First().Add(new XElement("NotASchemaElement", "1"))),
        "EmergencySolution.zip!/customizations.xml", "NotASchemaElement");

    [TestMethod]
    public void Customizations_RoleWithUnknownPrivilegeLevel_FailsSchema() => AssertFails(
        f => f.EditXml("Roles/Emergency Callback Router.xml", root => root.Descendants("RolePrivilege").First().SetAttributeValue("level", "Organization")),
        "EmergencySolution_managed.zip!/customizations.xml", "schema (error)");

    [TestMethod]
    public void EnvironmentVariable_ElementUnknownToExports_Fails() => AssertFails(
        f => f.EditXml("environmentvariabledefinitions/emc_EmergencyNumbers/environmentvariabledefinition.xml", root => root.Add(new XElement("secretstore", "0"))),
        "EmergencySolution.zip!/environmentvariabledefinitions/emc_EmergencyNumbers/environmentvariabledefinition.xml",
        "element <environmentvariabledefinition/secretstore> appears in none of the real exports' environmentvariabledefinition.xml files");

    [TestMethod]
    public void EnvironmentVariable_JsonDefaultNotJson_Fails() => AssertFails(
        f => f.EditXml("environmentvariabledefinitions/emc_EmergencyNumbers/environmentvariabledefinition.xml", root => root.Element("defaultvalue")!.Value = "{US:911"),
        "environmentvariabledefinitions/emc_EmergencyNumbers/environmentvariabledefinition.xml", "defaultvalue is not valid JSON");

    [TestMethod]
    public void CustomApi_RequiredElementMissing_FailsShape() => AssertFails(
        f => f.EditXml(FixtureSolution.ActionApiFile, root => root.Element("isprivate")!.Remove()),
        "EmergencySolution.zip!/" + FixtureSolution.ActionApiFile, "element <customapi/isprivate> is missing; every real export's customapi.xml has it");

    [TestMethod]
    public void CustomApi_ElementsOutOfExportOrder_FailsShape() => AssertFails(
        f => f.EditXml(FixtureSolution.ActionApiFile, root =>
        {
            var binding = root.Element("bindingtype")!;
            binding.Remove();
            root.Add(binding);
        }),
        "EmergencySolution.zip!/" + FixtureSolution.ActionApiFile, "element <description> comes before <bindingtype> under <customapi>; the real exports write <bindingtype> first");

    [TestMethod]
    public void SolutionManifest_ElementUnknownToExports_FailsShape() => AssertFails(
        f => f.EditXml("Other/Solution.xml", root => root.Element("SolutionManifest")!.Add(new XElement("Patches"))),
        "EmergencySolution.zip!/solution.xml", "element <ImportExportXml/SolutionManifest/Patches> appears in none of the real exports' solution.xml files");

    [TestMethod]
    public void RootComponents_MissingStep_Fails() => AssertFails(
        f => f.EditXml("Other/Solution.xml", root => root.Descendants("RootComponent").First(r => (string?)r.Attribute("type") == "92").Remove()),
        "Other/Solution.xml", "RootComponents lacks <RootComponent type=\"92\" id=\"{22222222-aaaa-4bbb-8ccc-000000000001}\" behavior=\"0\" />");

    [TestMethod]
    public void RootComponents_NamesNothingInSrc_Fails() => AssertFails(
        f => f.EditXml("Other/Solution.xml", root => root.Descendants("RootComponents").Single().Add(new XElement("RootComponent", new XAttribute("type", "61"), new XAttribute("schemaName", "emc_/gone.js"), new XAttribute("behavior", "0")))),
        "Other/Solution.xml", "RootComponent <RootComponent type=\"61\" schemaName=\"emc_/gone.js\" behavior=\"0\" /> names no component in src");

    [TestMethod]
    public void EmailTemplate_BodyMissing_Fails() => AssertFails(
        f => File.Delete(f.SrcFile("Templates/EmailDocuments/1033/{44444444-aaaa-4bbb-8ccc-000000000001}/body.xsl")),
        "Templates/EmailTemplates.xml", "template 'Emergency Call Notification Template': Templates/EmailDocuments/<languagecode>/{44444444-aaaa-4bbb-8ccc-000000000001}/body.xsl is missing");

    [TestMethod]
    public void EmailTemplate_NotShipped_Fails() => AssertFails(
        f => f.EditXml("Templates/EmailTemplates.xml", root => root.Descendants("title").Single().Value = "Another Template"),
        "Templates/EmailTemplates.xml", "no email template titled 'Emergency Call Notification Template' (the default of emc_NotificationTemplateTitle)");

    [TestMethod]
    public void Lookup_WithoutRelationship_Fails() => AssertFails(
        f =>
        {
            f.EditXml("Other/Relationships/emc_CallbackNumber.xml", root => root.Elements().Single(r => (string?)r.Attribute("Name") == "emc_systemuser_emc_callbacknumber_agentid").Remove());
            f.EditXml("Other/Relationships.xml", root => root.Elements().Single(r => (string?)r.Attribute("Name") == "emc_systemuser_emc_callbacknumber_agentid").Remove());
        },
        "Entities/emc_CallbackNumber/Entity.xml", "lookup emc_agentid has no relationship in Other/Relationships/*.xml");

    [TestMethod]
    public void Relationship_OnMissingLookup_Fails() => AssertFails(
        f => f.EditXml("Other/Relationships/emc_CallbackNumber.xml", root => root.Elements().First().Element("ReferencingAttributeName")!.Value = "emc_gone"),
        "Other/Relationships/emc_CallbackNumber.xml", "has no lookup column emc_gone");

    [TestMethod]
    public void Choice_OptionValueWithoutPublisherPrefix_Fails()
    {
        using var fixture = new FixtureSolution();
        // The fixture's table has no choice of its own: give it one with a value outside 41075xxxx.
        fixture.EditXml("Entities/emc_CallbackNumber/Entity.xml", root =>
        {
            var number = root.Descendants("attribute").Single(a => a.Element("LogicalName")!.Value == "emc_countrycode");
            number.Add(new XElement("optionset", new XAttribute("Name", "emc_callbacknumber_emc_countrycode"),
                new XElement("OptionSetType", "picklist"),
                new XElement("options", new XElement("option", new XAttribute("value", "100000000"),
                    new XElement("labels", new XElement("label", new XAttribute("description", "US"), new XAttribute("languagecode", "1033")))))));
        });

        var result = fixture.Pack();

        Assert.IsTrue(result.Failures.Any(f => f.File == "Entities/emc_CallbackNumber/Entity.xml"
            && f.Reason == "choice emc_countrycode: option value 100000000 does not start with the publisher's option value prefix 41075"), string.Join("\n", result.Failures));
    }

    [TestMethod]
    public void Relationship_NotListedInIndex_Fails() => AssertFails(
        f => f.EditXml("Other/Relationships.xml", root => root.Elements().First().Remove()),
        "Other/Relationships.xml", "is not listed");

    [TestMethod]
    public void SrcFile_NotWellFormed_Fails() => AssertFails(
        f => File.WriteAllText(f.SrcFile("Roles/Emergency Callback Router.xml"), "<Role id=\"x\">"),
        "Roles/Emergency Callback Router.xml", "not well-formed XML");

    [TestMethod]
    public void AssemblyFileName_NotUnderItsFolder_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.AssemblyDataFile, root => root.Element("FileName")!.Value = "/PluginAssemblies/Packager.Tests.dll"),
        FixtureSolution.AssemblyDataFile, "FileName is '/PluginAssemblies/Packager.Tests.dll', expected '/" + FixtureSolution.AssemblyFolder + "/Packager.Tests.dll'");

    [TestMethod]
    public void PluginType_AssemblyQualifiedNameOfAnotherAssembly_Fails() => AssertFails(
        f => EditPluginType(f, "FixtureStepPlugin", t => t.SetAttributeValue("AssemblyQualifiedName", Ns + "FixtureStepPlugin, Other, Version=1.0.0.0, Culture=neutral, PublicKeyToken=f6b076048dcd39f3")),
        FixtureSolution.AssemblyDataFile, "plugin type " + Ns + "FixtureStepPlugin: AssemblyQualifiedName is");

    [TestMethod]
    public void Step_PluginTypeNameDiffersFromRegistration_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.UpdateStepFile, root => root.Element("PluginTypeName")!.Value = Ns + "FixtureStepPlugin, Packager.Tests"),
        FixtureSolution.UpdateStepFile, "PluginTypeName '" + Ns + "FixtureStepPlugin, Packager.Tests' differs from the data.xml's");

    [TestMethod]
    public void CustomApi_UniqueNameNotItsFolder_Fails() => AssertFails(
        f => f.EditXml(FixtureSolution.ActionApiFile, root => root.SetAttributeValue("uniquename", "emc_DoOtherThing")),
        FixtureSolution.ActionApiFile, "uniquename 'emc_DoOtherThing' differs from its folder 'emc_DoThing'");

    [TestMethod]
    public void EnvironmentVariable_UnknownType_Fails() => AssertFails(
        f => f.EditXml("environmentvariabledefinitions/emc_EmergencyNumbers/environmentvariabledefinition.xml", root => root.Element("type")!.Value = "7"),
        "environmentvariabledefinitions/emc_EmergencyNumbers/environmentvariabledefinition.xml", "type '7' is not an environment variable type");

    [TestMethod]
    public void SolutionVersion_NotFourParts_Fails() => AssertFails(
        f => f.EditXml("Other/Solution.xml", root => root.Descendants("Version").Single().Value = "1.0"),
        "Other/Solution.xml", "Version '1.0' is not a four-part version");

    [TestMethod]
    public void Role_PrivilegeListedTwice_Fails() => AssertFails(
        f => f.EditXml("Roles/Emergency Callback Router.xml", root => root.Descendants("RolePrivileges").Single().Add(new XElement(root.Descendants("RolePrivilege").First()))),
        "Roles/Emergency Callback Router.xml", "privilege 'prvReademc_CallbackNumber' is listed twice");

    [TestMethod]
    public void EmailTemplate_UnknownTable_Fails() => AssertFails(
        f => f.EditXml("Templates/EmailTemplates.xml", root => root.Descendants("templatetypecode").Single().Value = "emc_emergencycall"),
        "Templates/EmailTemplates.xml", "templatetypecode 'emc_emergencycall' is not the object type code of a table");

    [TestMethod]
    public void Relationship_ListedButNotDefined_Fails() => AssertFails(
        f => f.EditXml("Other/Relationships.xml", root => root.Add(new XElement("EntityRelationship", new XAttribute("Name", "emc_gone")))),
        "Other/Relationships.xml", "relationship 'emc_gone' is listed but defined in no Other/Relationships/*.xml");

    [TestMethod]
    public void Ribbon_LibraryNotInSolution_Fails() => AssertFails(
        f => f.EditXml("Entities/msdyn_ocliveworkitem/RibbonDiff.xml", root => root.Descendants("CustomRule").Single().SetAttributeValue("Library", "$webresource:emc_/scripts/missing.js")),
        "Entities/msdyn_ocliveworkitem/RibbonDiff.xml", "Library '$webresource:emc_/scripts/missing.js' names a web resource that is not in WebResources/");

    [TestMethod]
    public void Pack_SeveralBrokenFiles_ListsEveryFailureTogether()
    {
        using var fixture = new FixtureSolution();
        fixture.EditXml(FixtureSolution.CreateStepFile, root => root.Element("Stage")!.Value = "30");
        File.Delete(Path.Combine(fixture.Dist, "emc_", "scripts", "conversation_form.js"));
        fixture.EditXml(FixtureSolution.ActionApiFile, root => root.Descendants("plugintypeexportkey").Single().Value = "99999999-aaaa-4bbb-8ccc-000000000009");

        var result = fixture.Pack();

        Assert.IsFalse(result.Succeeded);
        Assert.IsTrue(result.Failures.Any(f => f.File == FixtureSolution.CreateStepFile));
        Assert.IsTrue(result.Failures.Any(f => f.File == "WebResources/emc_/scripts/conversation_form.js.data.xml"));
        Assert.IsTrue(result.Failures.Any(f => f.File == FixtureSolution.ActionApiFile));
        StringAssert.Contains(fixture.Log, $"FAILED: {result.Failures.Count} check(s) failed; no package was written.");
    }
}
