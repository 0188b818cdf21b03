using System.Xml.Linq;
using EmergencySolution.Packager.Checks;
using EmergencySolution.Packager.Model;
using EmergencySolution.SolutionReader;

namespace EmergencySolution.Packager.Tests;

/// <summary>
/// A diff of Microsoft's Active Conversation form (Entities/msdyn_ocliveworkitem/FormXml/main/{5fe86453-…}.xml) that
/// registers the package's scripts: it packs inside the table, before the ribbon, as real exports pack a modified
/// system form; each FormDiffChecks rule fails on a broken copy; the real src carries the documented form with the
/// dial watcher's and the conversation script's OnLoad handlers.
/// </summary>
[TestClass]
public sealed class FormDiffTests
{
    private const string DiffFile = "Entities/msdyn_ocliveworkitem/FormXml/main/{5fe86453-73ea-4821-b6dd-ddc06e1755a1}.xml";
    private const string Library = "emc_/scripts/conversation_form.js";

    /// <summary>The fixture src with a form diff registering the fixture's one web resource, whose bundle publishes onLoad.</summary>
    private static void AddDiff(FixtureSolution fixture, string formId = "{5fe86453-73ea-4821-b6dd-ddc06e1755a1}", string function = "EmergencySolution.ConversationForm.onLoad")
    {
        var path = fixture.SrcFile(DiffFile.Replace("{5fe86453-73ea-4821-b6dd-ddc06e1755a1}", formId, StringComparison.Ordinal));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        new XDocument(new XElement("forms",
            new XElement("systemform",
                new XElement("formid", formId),
                new XElement("IntroducedVersion", "1.0.0.0"),
                new XElement("FormPresentation", "1"),
                new XElement("FormActivationState", "1"),
                new XElement("form", new XAttribute("solutionaction", "Modified"),
                    new XElement("events",
                        new XElement("event", new XAttribute("name", "onload"), new XAttribute("application", "true"), new XAttribute("active", "true"),
                            new XElement("Handlers", new XAttribute("solutionaction", "Added"),
                                new XElement("Handler", new XAttribute("functionName", function), new XAttribute("libraryName", Library),
                                    new XAttribute("handlerUniqueId", "{b5e9f8ce-37c5-4554-9ca0-ec3efed787a3}"), new XAttribute("enabled", "true"),
                                    new XAttribute("parameters", ""), new XAttribute("passExecutionContext", "true"))))),
                    new XElement("formLibraries", new XAttribute("solutionaction", "Added"),
                        new XElement("Library", new XAttribute("name", Library), new XAttribute("libraryUniqueId", "{a9586e17-8621-43ff-8fea-6626585b1647}")))),
                new XElement("LocalizedNames", new XElement("LocalizedName", new XAttribute("description", "Active Conversation"), new XAttribute("languagecode", "1033")))))).Save(path);
        File.WriteAllText(Path.Combine(fixture.Dist, "emc_", "scripts", "conversation_form.js"),
            "(() => {\n  publish(\"ConversationForm\", {\n    onLoad: (context) => undefined,\n    isSaveOrRefreshAllowed: () => true,\n  });\n  function publish(member, value) { var host = globalThis; (host.EmergencySolution = host.EmergencySolution || {})[member] = value; }\n})();\n");
    }

    private static void EditDiffForm(FixtureSolution fixture, Action<XElement> edit) =>
        fixture.EditXml(DiffFile, root => edit(root.Element("systemform")!.Element("form")!));

    [TestMethod]
    public void Fixture_DiffOfTheActiveConversationForm_PacksInTheTableBeforeItsRibbonWithTheSchemaCheckPassing()
    {
        using var fixture = new FixtureSolution();
        AddDiff(fixture);

        var result = fixture.Pack();

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Failures));
        foreach (var managed in new[] { false, true })
        {
            var customizations = XDocument.Load(new MemoryStream(FixtureSolution.ReadZip(fixture.ZipPath(managed))["customizations.xml"]));
            var table = customizations.Root!.Element("Entities")!.Elements("Entity").Single(e => e.Element("Name")!.Value == "msdyn_ocliveworkitem");
            var names = table.Elements().Select(e => e.Name.LocalName).ToList();
            Assert.IsTrue(names.IndexOf("FormXml") >= 0 && names.IndexOf("FormXml") < names.IndexOf("RibbonDiffXml"), string.Join(",", names));
            var form = table.Element("FormXml")!.Element("forms")!.Element("systemform")!;
            Assert.AreEqual("{5fe86453-73ea-4821-b6dd-ddc06e1755a1}", form.Element("formid")!.Value);
            Assert.AreEqual("Modified", (string?)form.Element("form")!.Attribute("solutionaction"));
            Assert.AreEqual("EmergencySolution.ConversationForm.onLoad", (string?)form.Descendants("Handler").Single().Attribute("functionName"));
        }
    }

    [TestMethod]
    public void Diff_OfAFormNoSourceDocuments_Fails() => CheckTests.AssertFails(
        f => AddDiff(f, formId: "{11111111-2222-4333-8444-555555555555}"),
        "FormXml/main/{11111111-2222-4333-8444-555555555555}.xml",
        "form 11111111-2222-4333-8444-555555555555 of msdyn_ocliveworkitem is not a form whose id docs/web-resources.md documents");

    [TestMethod]
    public void Diff_WholeFormInsteadOfADiff_Fails() => CheckTests.AssertFails(
        f => { AddDiff(f); EditDiffForm(f, form => form.Attribute("solutionaction")!.Remove()); },
        DiffFile, "must be a diff: <form solutionaction=\"Modified\">");

    [TestMethod]
    public void Diff_ThatAlsoChangesATab_Fails() => CheckTests.AssertFails(
        f => { AddDiff(f); EditDiffForm(f, form => form.AddFirst(new XElement("tabs", new XElement("tab", new XAttribute("name", "Details"))))); },
        DiffFile, "<tabs>: a diff of a form the solution does not own may add only form libraries and event handlers");

    [TestMethod]
    public void Diff_LibraryThatIsNoWebResourceOfThePackage_Fails() => CheckTests.AssertFails(
        f => { AddDiff(f); EditDiffForm(f, form => form.Element("formLibraries")!.Add(new XElement("Library", new XAttribute("name", "emc_/scripts/missing.js"), new XAttribute("libraryUniqueId", Guid.NewGuid().ToString("B"))))); },
        DiffFile, "library 'emc_/scripts/missing.js' is not a web resource of this package");

    [TestMethod]
    public void Diff_HandlerTheBundleDoesNotPublish_Fails() => CheckTests.AssertFails(
        f => AddDiff(f, function: "EmergencySolution.ConversationForm.onSave"),
        DiffFile, "handler 'EmergencySolution.ConversationForm.onSave': emc_/scripts/conversation_form.js does not publish ConversationForm.onSave");

    [TestMethod]
    public void Diff_HandlerOfALibraryTheDiffDoesNotAdd_Fails() => CheckTests.AssertFails(
        f => { AddDiff(f); EditDiffForm(f, form => form.Descendants("Handler").Single().SetAttributeValue("libraryName", "emc_/scripts/dial_watcher.js")); },
        DiffFile, "names library 'emc_/scripts/dial_watcher.js', which the diff's formLibraries do not hold");

    [TestMethod]
    public void Diff_UnknownSolutionAction_Fails() => CheckTests.AssertFails(
        f => { AddDiff(f); EditDiffForm(f, form => form.Element("formLibraries")!.SetAttributeValue("solutionaction", "Inserted")); },
        DiffFile, "<formLibraries> solutionaction=\"Inserted\": real exports write Added, Modified or Removed");

    [TestMethod]
    public void RealSrc_RegistersTheDialWatcherAndTheConversationScriptOnTheDocumentedActiveConversationForm()
    {
        var root = FixtureSolution.RepositoryRoot;
        var source = SolutionSource.Load(Path.Combine(root, "SolutionPackage", "src"));
        var table = source.Entities.Single(e => e.LogicalName == "msdyn_ocliveworkitem");
        var form = table.Forms.Single();
        Assert.AreEqual("main", form.Type);
        Assert.AreEqual("Active Conversation", FormDiffChecks.DocumentedForms[("msdyn_ocliveworkitem", form.Id)]);
        CollectionAssert.AreEqual(new[] { "EmergencySolution.DialWatcher.onLoad", "EmergencySolution.ConversationForm.onLoad" },
            form.Element!.Descendants("Handler").Select(h => (string?)h.Attribute("functionName")).ToArray());

        var dist = Path.Combine(root, "WebResources", "dist");
        Assert.IsTrue(File.Exists(Path.Combine(dist, "emc_", "scripts", "dial_watcher.js")), "run the web build (./build.sh or npm run build in WebResources) first");
        var report = new CheckReport();
        FormDiffChecks.Run(source, dist, report);
        Assert.IsFalse(report.HasFailures, string.Join("\n", report.Failures));
    }
}
