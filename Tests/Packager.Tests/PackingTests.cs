using System.Xml.Linq;
using EmergencySolution.Packager.Checks;
using EmergencySolution.Packager.Model;
using EmergencySolution.Packager.Packing;

namespace EmergencySolution.Packager.Tests;

[TestClass]
public sealed class PackingTests
{
    [TestMethod]
    public void Pack_ValidFixture_WritesUnmanagedAndManagedZips()
    {
        using var fixture = new FixtureSolution();

        var result = fixture.Pack();

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Failures));
        Assert.IsTrue(File.Exists(fixture.ZipPath(managed: false)));
        Assert.IsTrue(File.Exists(fixture.ZipPath(managed: true)));
        StringAssert.Contains(fixture.Log, "Summary: all checks passed.");
        StringAssert.Contains(fixture.Log, "EmergencySolution_managed.zip");
        Assert.AreEqual(2, result.Components.Single(c => c.What == "steps").Count);
        Assert.AreEqual(2, result.Components.Single(c => c.What == "custom APIs").Count);
    }

    [TestMethod]
    public void Pack_Zips_SayManagedZeroAndOne()
    {
        using var fixture = new FixtureSolution();
        Assert.IsTrue(fixture.Pack().Succeeded, fixture.Log);

        string Managed(bool managed) => XDocument.Load(new MemoryStream(FixtureSolution.ReadZip(fixture.ZipPath(managed))["solution.xml"]))
            .Root!.Element("SolutionManifest")!.Element("Managed")!.Value;

        Assert.AreEqual("0", Managed(false));
        Assert.AreEqual("1", Managed(true));
    }

    [TestMethod]
    public void Pack_BothZips_CustomizationsValidateAgainstSchemaAndOtherFilesMatchExportShapes()
    {
        using var fixture = new FixtureSolution();
        Assert.IsTrue(fixture.Pack().Succeeded, fixture.Log);
        var schemas = Path.Combine(FixtureSolution.RepositoryRoot, "SolutionPackage", "schemas");
        var schema = new SchemaCheck(schemas);
        var shapes = new ShapeCheck(Path.Combine(schemas, "reference-exports"));

        foreach (var managed in new[] { false, true })
        {
            var entries = FixtureSolution.ReadZip(fixture.ZipPath(managed));
            var report = new CheckReport();
            schema.Validate("customizations.xml", entries["customizations.xml"], report);
            shapes.Compare("solution.xml", "solution.xml", entries["solution.xml"], report);
            shapes.Compare("[Content_Types].xml", "[Content_Types].xml", entries["[Content_Types].xml"], report);
            foreach (var (name, bytes) in entries.Where(e => ShapeCheck.Kinds.Contains(Path.GetFileName(e.Key)) && e.Key.Contains('/')))
                shapes.Compare(Path.GetFileName(name), name, bytes, report);
            Assert.IsFalse(report.HasFailures, string.Join("\n", report.Failures));
        }
    }

    [TestMethod]
    public void Pack_UnpackedZip_HoldsEveryComponentOfSrcAndNothingElse()
    {
        using var fixture = new FixtureSolution();
        Assert.IsTrue(fixture.Pack().Succeeded, fixture.Log);
        var source = SolutionSource.Load(fixture.Src);
        var entries = FixtureSolution.ReadZip(fixture.ZipPath(managed: false));
        var customizations = XDocument.Load(new MemoryStream(entries["customizations.xml"])).Root!;

        // Entries: exactly the fixed files, the assembly, the component folders and the web resources.
        var expectedEntries = new SortedSet<string>(StringComparer.Ordinal) { "[Content_Types].xml", "solution.xml", "customizations.xml", FixtureSolution.AssemblyFolder + "/Packager.Tests.dll" };
        foreach (var file in Directory.EnumerateFiles(fixture.Src, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(fixture.Src, file).Replace('\\', '/');
            if (relative.StartsWith("customapis/", StringComparison.Ordinal) || relative.StartsWith("environmentvariabledefinitions/", StringComparison.Ordinal))
                expectedEntries.Add(relative);
        }
        foreach (var resource in source.WebResources) expectedEntries.Add("WebResources/" + resource.Name);
        CollectionAssert.AreEqual(expectedEntries.ToList(), entries.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList());

        // The built files are packed byte for byte.
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(fixture.Dist, "emc_", "scripts", "conversation_form.js")), entries["WebResources/emc_/scripts/conversation_form.js"]);
        CollectionAssert.AreEqual(File.ReadAllBytes(typeof(FixturePlugins.FixtureStepPlugin).Assembly.Location), entries[FixtureSolution.AssemblyFolder + "/Packager.Tests.dll"]);

        // customizations.xml holds each src component once, and no other.
        CollectionAssert.AreEquivalent(source.Entities.Select(e => e.EntityFile.Root.Element("Name")!.Value).ToList(),
            customizations.Element("Entities")!.Elements("Entity").Select(e => e.Element("Name")!.Value).ToList());
        CollectionAssert.AreEquivalent(source.Roles.Select(r => (string?)r.Root.Attribute("id")).ToList(),
            customizations.Element("Roles")!.Elements("Role").Select(r => (string?)r.Attribute("id")).ToList());
        CollectionAssert.AreEquivalent(source.RelationshipFiles.SelectMany(f => f.Root.Elements("EntityRelationship")).Select(r => (string?)r.Attribute("Name")).ToList(),
            customizations.Element("EntityRelationships")!.Elements("EntityRelationship").Select(r => (string?)r.Attribute("Name")).ToList());
        CollectionAssert.AreEquivalent(source.WebResources.Select(w => w.Name).ToList(),
            customizations.Element("WebResources")!.Elements("WebResource").Select(w => w.Element("Name")!.Value).ToList());
        CollectionAssert.AreEquivalent(source.PluginAssemblies.Select(a => a.FullName).ToList(),
            customizations.Element("SolutionPluginAssemblies")!.Elements("PluginAssembly").Select(a => (string?)a.Attribute("FullName")).ToList());
        CollectionAssert.AreEquivalent(source.PluginAssemblies.SelectMany(a => a.PluginTypes).Select(t => t.Id.ToString()).ToList(),
            customizations.Descendants("PluginType").Select(t => (string)t.Attribute("PluginTypeId")!).ToList());
        CollectionAssert.AreEquivalent(source.Steps.Select(s => (string?)s.Root.Attribute("SdkMessageProcessingStepId")).ToList(),
            customizations.Element("SdkMessageProcessingSteps")!.Elements("SdkMessageProcessingStep").Select(s => (string?)s.Attribute("SdkMessageProcessingStepId")).ToList());
        Assert.AreEqual(source.Steps.Sum(s => s.Root.Descendants("SdkMessageProcessingStepImage").Count()), customizations.Descendants("SdkMessageProcessingStepImage").Count());
        CollectionAssert.AreEquivalent(source.EmailTemplates.Select(t => t.Id).ToList(),
            customizations.Descendants("emailtemplate").Select(t => SolutionSource.ParseGuid(t.Element("templateid")!.Value)).ToList());
        Assert.IsNotNull(customizations.Descendants("Entity").Single(e => e.Element("Name")!.Value == "msdyn_ocliveworkitem").Element("RibbonDiffXml"));

        // The manifest's root components are the src manifest's, unchanged.
        var packedRoots = XDocument.Load(new MemoryStream(entries["solution.xml"])).Descendants("RootComponent").Select(r => r.ToString()).ToList();
        CollectionAssert.AreEqual(source.SolutionManifest!.Root.Descendants("RootComponent").Select(r => r.ToString()).ToList(), packedRoots);
    }

    [TestMethod]
    public void Pack_EmailTemplate_CarriesObjectTypeCodeAndXslDocuments()
    {
        using var fixture = new FixtureSolution();
        Assert.IsTrue(fixture.Pack().Succeeded, fixture.Log);
        var customizations = XDocument.Load(new MemoryStream(FixtureSolution.ReadZip(fixture.ZipPath(managed: false))["customizations.xml"]));

        var template = customizations.Descendants("emailtemplate").Single();

        Assert.AreEqual("8", template.Element("templatetypecode")!.Value);
        StringAssert.Contains(template.Element("subject")!.Value, "Emergency call");
        StringAssert.Contains(template.Element("body")!.Value, "An agent made an emergency call.");
    }

    [TestMethod]
    public void Pack_Step_PacksConfigurationAndSchemaOrder()
    {
        using var fixture = new FixtureSolution();
        Assert.IsTrue(fixture.Pack().Succeeded, fixture.Log);
        var customizations = XDocument.Load(new MemoryStream(FixtureSolution.ReadZip(fixture.ZipPath(managed: false))["customizations.xml"]));

        var step = customizations.Descendants("SdkMessageProcessingStep").First();
        var names = step.Elements().Select(e => e.Name.LocalName).ToList();

        Assert.AreEqual("fixture-config", step.Element("Configuration")!.Value);
        Assert.IsNull(step.Element("CustomConfiguration"));
        Assert.IsTrue(names.IndexOf("Rank") < names.IndexOf("SdkMessageId"), string.Join(",", names));
    }

    [TestMethod]
    public void ContentTypes_ListsXmlFirstThenEachExtension()
    {
        var bytes = PackageLayout.ContentTypesFor(new[] { "solution.xml", "a/b.dll", "WebResources/x.js", "WebResources/y.css", "customapis/a/customapi.xml" });
        var text = System.Text.Encoding.UTF8.GetString(bytes);

        Assert.AreEqual(0xEF, bytes[0], "exports start with a UTF-8 byte order mark");
        StringAssert.Contains(text, "<Default Extension=\"xml\" ContentType=\"application/octet-stream\" /><Default Extension=\"css\"");
        StringAssert.Contains(text, "<Default Extension=\"dll\" ContentType=\"application/octet-stream\" /><Default Extension=\"js\"");
    }

    [TestMethod]
    public void SyncRootComponents_NewStep_AddsItsRootComponent()
    {
        using var fixture = new FixtureSolution();
        var stepCopy = fixture.SrcFile("SdkMessageProcessingSteps/{55555555-aaaa-4bbb-8ccc-000000000001}.xml");
        File.Copy(fixture.SrcFile(FixtureSolution.UpdateStepFile), stepCopy);
        fixture.EditXml("SdkMessageProcessingSteps/{55555555-aaaa-4bbb-8ccc-000000000001}.xml", root =>
        {
            root.SetAttributeValue("SdkMessageProcessingStepId", "{55555555-aaaa-4bbb-8ccc-000000000001}");
            root.Element("FilteringAttributes")!.Value = "emc_number"; // another registration, not a duplicate (meta-remove-dup-reg)
            var ids = root.Descendants("SdkMessageProcessingStepImageId").ToList();
            for (var i = 0; i < ids.Count; i++) ids[i].Value = $"{{55555555-aaaa-4bbb-8ccc-00000000001{i}}}";
        });
        Assert.IsFalse(fixture.Pack().Succeeded);

        RootComponents.Sync(SolutionSource.Load(fixture.Src), "emc");

        Assert.IsTrue(fixture.Pack().Succeeded, fixture.Log);
        StringAssert.Contains(File.ReadAllText(fixture.SrcFile("Other/Solution.xml")), "<RootComponent type=\"92\" id=\"{55555555-aaaa-4bbb-8ccc-000000000001}\" behavior=\"0\" />");
    }
}
