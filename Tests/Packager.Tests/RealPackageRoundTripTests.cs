using System.Text;
using System.Xml.Linq;
using EmergencySolution.Packager.Building;
using EmergencySolution.Packager.Checks;
using EmergencySolution.Packager.Model;
using EmergencySolution.Packager.Packing;

namespace EmergencySolution.Packager.Tests;

/// <summary>
/// Packs the repository's real SolutionPackage/src with what ./build.sh built, unzips both zips, and compares every
/// component with src: nothing lost, nothing added, nothing changed beyond the documented packing rules. Expected
/// values are read from the src files directly, not through the packager's own reader.
/// </summary>
[TestClass]
public sealed class RealPackageRoundTripTests
{
    private static string Src => BuiltRepositoryPackage.RealSrc;

    /// <summary>Sections of customizations.xml that the packer fills from component files; every other section is src's Customizations.xml as it is.</summary>
    private static readonly HashSet<string> ComposedSections = new(StringComparer.Ordinal)
    {
        "Entities", "Roles", "Templates", "EntityRelationships", "WebResources", "SolutionPluginAssemblies", "SdkMessageProcessingSteps",
    };

    [TestMethod]
    public void PackRealSrc_UnpackedZips_HoldEveryComponentOfSrcAndNothingElse()
    {
        using var package = new BuiltRepositoryPackage();
        var assemblies = BuiltRepositoryPackage.BuiltAssemblies();
        package.PackReal();

        foreach (var managed in new[] { false, true })
        {
            var zip = Path.GetFileName(package.ZipPath(managed));
            var entries = FixtureSolution.ReadZip(package.ZipPath(managed));

            AssertEntriesAreExactlySrcs(zip, entries);
            AssertPluginAssembliesAreTheBuiltOnes(zip, entries, assemblies);
            AssertFolderComponentsUnchanged(zip, entries, "customapis");
            AssertFolderComponentsUnchanged(zip, entries, "environmentvariabledefinitions");
            AssertWebResourcesAreTheBundles(zip, entries);
            AssertCustomizationsHoldSrcsComponents(zip, XDocument.Load(new MemoryStream(entries["customizations.xml"])).Root!);
            AssertManifestIsSrcsWithManaged(zip, entries["solution.xml"], managed);
        }
    }

    [TestMethod]
    public void PackRealSrc_BothZips_CustomizationsValidateAgainstSchemaAndSayManagedZeroAndOne()
    {
        using var package = new BuiltRepositoryPackage();
        package.PackReal();
        var schema = new SchemaCheck(BuiltRepositoryPackage.Schemas);

        foreach (var managed in new[] { false, true })
        {
            var entries = FixtureSolution.ReadZip(package.ZipPath(managed));
            var report = new CheckReport();

            schema.Validate("customizations.xml", entries["customizations.xml"], report);

            Assert.IsFalse(report.HasFailures, string.Join("\n", report.Failures));
            var manifest = XDocument.Load(new MemoryStream(entries["solution.xml"])).Root!.Element("SolutionManifest")!;
            Assert.AreEqual(managed ? "1" : "0", manifest.Element("Managed")!.Value, Path.GetFileName(package.ZipPath(managed)));
        }
    }

    [TestMethod]
    public void PackRealSrc_CopyCreatedInOtherOrderWithOtherFileTimes_GivesIdenticalBytes()
    {
        using var package = new BuiltRepositoryPackage();
        var assemblies = BuiltRepositoryPackage.BuiltAssemblies();
        package.PackReal();
        var first = File.ReadAllBytes(package.ZipPath(managed: false));
        var firstManaged = File.ReadAllBytes(package.ZipPath(managed: true));

        // A fresh clone on another machine: same contents, other file times, files written in another order,
        // assemblies at another path.
        var copy = Path.Combine(package.Root, "clone");
        BuiltRepositoryPackage.CopyReorderedWithOtherTimes(Src, Path.Combine(copy, "src"), new DateTime(2031, 7, 9, 3, 4, 5, DateTimeKind.Utc));
        BuiltRepositoryPackage.CopyReorderedWithOtherTimes(BuiltRepositoryPackage.RealDist, Path.Combine(copy, "dist"), new DateTime(1999, 12, 31, 23, 0, 0, DateTimeKind.Utc));
        var copiedAssemblies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, path) in assemblies.Reverse())
        {
            var target = Path.Combine(copy, "bin", name + ".dll");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(path, target);
            File.SetLastWriteTimeUtc(target, new DateTime(2042, 2, 2, 2, 2, 2, DateTimeKind.Utc));
            copiedAssemblies[name] = target;
        }
        Assert.AreNotEqual(File.GetLastWriteTimeUtc(Path.Combine(Src, "Other", "Solution.xml")), File.GetLastWriteTimeUtc(Path.Combine(copy, "src", "Other", "Solution.xml")));

        package.Pack(Path.Combine(copy, "src"), Path.Combine(copy, "dist"), copiedAssemblies, Path.Combine(copy, "out"));

        CollectionAssert.AreEqual(first, File.ReadAllBytes(Path.Combine(copy, "out", "EmergencySolution.zip")));
        CollectionAssert.AreEqual(firstManaged, File.ReadAllBytes(Path.Combine(copy, "out", "EmergencySolution_managed.zip")));
    }

    private static void AssertEntriesAreExactlySrcs(string zip, IReadOnlyDictionary<string, byte[]> entries)
    {
        var expected = new SortedSet<string>(StringComparer.Ordinal) { "[Content_Types].xml", "solution.xml", "customizations.xml" };
        foreach (var (folder, name, _) in BuiltRepositoryPackage.RegisteredAssemblies(Src)) expected.Add($"PluginAssemblies/{folder}/{name}.dll");
        foreach (var folder in new[] { "customapis", "environmentvariabledefinitions" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Src, folder), "*", SearchOption.AllDirectories))
                expected.Add(Relative(file));
        foreach (var dataFile in Directory.EnumerateFiles(Path.Combine(Src, "WebResources"), "*.data.xml", SearchOption.AllDirectories))
            expected.Add(Relative(dataFile)[..^".data.xml".Length]);

        CollectionAssert.AreEqual(expected.ToList(), entries.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList(), zip);
        // The real src has all of it: two assemblies, five custom APIs, the environment variables, five web resources.
        Assert.AreEqual(2, expected.Count(e => e.EndsWith(".dll", StringComparison.Ordinal)), zip);
        Assert.AreEqual(5, expected.Count(e => e.EndsWith("/customapi.xml", StringComparison.Ordinal)), zip);
        Assert.IsTrue(expected.Count(e => e.EndsWith("/environmentvariabledefinition.xml", StringComparison.Ordinal)) >= 3, zip);
        Assert.AreEqual(6, expected.Count(e => e.StartsWith("WebResources/", StringComparison.Ordinal)), zip);

        var contentTypes = XDocument.Load(new MemoryStream(entries["[Content_Types].xml"])).Root!.Elements().Select(e => (string)e.Attribute("Extension")!).ToHashSet(StringComparer.Ordinal);
        foreach (var extension in entries.Keys.Select(k => Path.GetExtension(k).TrimStart('.').ToLowerInvariant()).Where(e => e.Length > 0))
            Assert.Contains(extension, contentTypes, $"{zip}: [Content_Types].xml lacks '{extension}'");
    }

    private static void AssertPluginAssembliesAreTheBuiltOnes(string zip, IReadOnlyDictionary<string, byte[]> entries, IReadOnlyDictionary<string, string> built)
    {
        foreach (var (folder, name, data) in BuiltRepositoryPackage.RegisteredAssemblies(Src))
        {
            var entry = $"PluginAssemblies/{folder}/{name}.dll";
            CollectionAssert.AreEqual(File.ReadAllBytes(built[name]), entries[entry], $"{zip}!/{entry} is not the built {Path.GetRelativePath(BuiltRepositoryPackage.RepositoryRoot, built[name])}");

            // And the built one is the registered assembly: signed, same identity, every registered plugin type in it.
            var inspected = AssemblyInspector.Inspect(built[name]);
            Assert.AreEqual((string)data.Attribute("FullName")!, inspected.FullName, entry);
            Assert.IsNull(inspected.SignatureProblem, entry);
            Assert.AreEqual("/" + entry, data.Element("FileName")!.Value.Trim(), entry);
            foreach (var type in data.Element("PluginTypes")!.Elements("PluginType").Select(t => (string)t.Attribute("Name")!))
            {
                Assert.IsTrue(inspected.Types.TryGetValue(type, out var found), $"{entry} lacks plugin type {type}");
                Assert.IsTrue(found.ImplementsIPlugin && found.IsPublic && !found.IsAbstract, $"{entry}: {type} is not a public, concrete IPlugin");
            }
        }
    }

    /// <summary>customapis/** and environmentvariabledefinitions/** are zip entries at their src paths, with the same XML.</summary>
    private static void AssertFolderComponentsUnchanged(string zip, IReadOnlyDictionary<string, byte[]> entries, string folder)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Src, folder), "*", SearchOption.AllDirectories))
        {
            var entry = Relative(file);
            Assert.AreEqual(Canonical(XDocument.Load(file).Root!), Canonical(XDocument.Load(new MemoryStream(entries[entry])).Root!), $"{zip}!/{entry}");
        }
    }

    private static void AssertWebResourcesAreTheBundles(string zip, IReadOnlyDictionary<string, byte[]> entries)
    {
        foreach (var dataFile in Directory.EnumerateFiles(Path.Combine(Src, "WebResources"), "*.data.xml", SearchOption.AllDirectories))
        {
            var name = XDocument.Load(dataFile).Root!.Element("Name")!.Value.Trim();
            CollectionAssert.AreEqual(File.ReadAllBytes(WebResourceChecks.BuiltFile(BuiltRepositoryPackage.RealDist, name)), entries["WebResources/" + name],
                $"{zip}!/WebResources/{name} is not byte-equal to WebResources/dist/{name}");
        }
    }

    /// <summary>
    /// Each SavedQueries/{id}.xml is one savedquery of the table's packed SavedQueries, each FormXml/&lt;type&gt;/{id}.xml one
    /// systemform under its forms type, and nothing else; both are then taken out, so the rest compares with Entity.xml.
    /// </summary>
    private static void AssertViewsAndFormsAreTheirFiles(string zip, string folder, XElement packed)
    {
        var viewFiles = Directory.Exists(Path.Combine(folder, "SavedQueries"))
            ? Directory.EnumerateFiles(Path.Combine(folder, "SavedQueries"), "*.xml").Select(f => XDocument.Load(f).Root!.Element("savedquery")!).ToList()
            : new List<XElement>();
        var packedViews = packed.Element("SavedQueries")?.Element("savedqueries")?.Elements("savedquery").ToList() ?? new List<XElement>();
        if (viewFiles.Count == 0) Assert.IsEmpty(packedViews, $"{zip}: views of {Path.GetFileName(folder)}");
        else AssertSameElements(zip, $"views of {Path.GetFileName(folder)}", viewFiles, packedViews, v => v.Element("savedqueryid")!.Value);
        var formFiles = Directory.Exists(Path.Combine(folder, "FormXml"))
            ? Directory.EnumerateDirectories(Path.Combine(folder, "FormXml")).SelectMany(type => Directory.EnumerateFiles(type, "*.xml")
                .Select(f => (Type: Path.GetFileName(type), Form: XDocument.Load(f).Root!.Element("systemform")!))).ToList()
            : new List<(string Type, XElement Form)>();
        var packedForms = packed.Element("FormXml")?.Elements("forms").SelectMany(forms => forms.Elements("systemform").Select(form => (Type: (string)forms.Attribute("type")!, Form: form))).ToList()
            ?? new List<(string Type, XElement Form)>();
        if (formFiles.Count == 0) Assert.IsEmpty(packedForms, $"{zip}: forms of {Path.GetFileName(folder)}");
        else AssertSameElements(zip, $"forms of {Path.GetFileName(folder)}", formFiles.Select(f => f.Form), packedForms.Select(f => f.Form), f => f.Element("formid")!.Value);
        CollectionAssert.AreEquivalent(formFiles.Select(f => f.Type + " " + f.Form.Element("formid")!.Value).ToList(),
            packedForms.Select(f => f.Type + " " + f.Form.Element("formid")!.Value).ToList(), $"{zip}: form types of {Path.GetFileName(folder)}");
        packed.Elements("SavedQueries").Remove();
        packed.Elements("FormXml").Remove();
    }

    private static void AssertCustomizationsHoldSrcsComponents(string zip, XElement customizations)
    {
        // Tables, with the ribbon diff of their folder in place of the Entity.xml's own.
        var tables = Directory.EnumerateDirectories(Path.Combine(Src, "Entities")).ToDictionary(
            d => XDocument.Load(Path.Combine(d, "Entity.xml")).Root!.Element("Name")!.Value, d => d, StringComparer.Ordinal);
        var packedTables = customizations.Element("Entities")!.Elements("Entity").ToList();
        CollectionAssert.AreEquivalent(tables.Keys.ToList(), packedTables.Select(e => e.Element("Name")!.Value).ToList(), $"{zip}: tables");
        foreach (var packed in packedTables)
        {
            var folder = tables[packed.Element("Name")!.Value];
            var src = new XElement(XDocument.Load(Path.Combine(folder, "Entity.xml")).Root!);
            var ribbonFile = Path.Combine(folder, "RibbonDiff.xml");
            if (File.Exists(ribbonFile))
            {
                Assert.AreEqual(Canonical(XDocument.Load(ribbonFile).Root!), Canonical(packed.Element("RibbonDiffXml")!), $"{zip}: ribbon of {folder}");
                src.Elements("RibbonDiffXml").Remove();
            }
            var packedWithoutRibbon = new XElement(packed);
            if (File.Exists(ribbonFile)) packedWithoutRibbon.Elements("RibbonDiffXml").Remove();
            AssertViewsAndFormsAreTheirFiles(zip, folder, packedWithoutRibbon);
            Assert.AreEqual(Canonical(src), Canonical(packedWithoutRibbon), $"{zip}: table {Path.GetFileName(folder)}");
        }
        Assert.IsTrue(tables.Values.Any(f => File.Exists(Path.Combine(f, "RibbonDiff.xml"))), "the conversation ribbon diff is in src");

        AssertSameElements(zip, "roles", Directory.EnumerateFiles(Path.Combine(Src, "Roles"), "*.xml").Select(f => XDocument.Load(f).Root!),
            customizations.Element("Roles")!.Elements("Role"), r => (string)r.Attribute("id")!);
        AssertSameElements(zip, "relationships", Directory.EnumerateFiles(Path.Combine(Src, "Other", "Relationships"), "*.xml").SelectMany(f => XDocument.Load(f).Root!.Elements("EntityRelationship")),
            customizations.Element("EntityRelationships")!.Elements("EntityRelationship"), r => (string)r.Attribute("Name")!);
        AssertSameElements(zip, "web resources", Directory.EnumerateFiles(Path.Combine(Src, "WebResources"), "*.data.xml", SearchOption.AllDirectories).Select(f => XDocument.Load(f).Root!),
            customizations.Element("WebResources")!.Elements("WebResource"), w => w.Element("Name")!.Value);
        AssertSameElements(zip, "plugin assemblies", BuiltRepositoryPackage.RegisteredAssemblies(Src).Select(a => a.Data),
            customizations.Element("SolutionPluginAssemblies")!.Elements("PluginAssembly"), a => (string)a.Attribute("FullName")!);

        // Steps: the same elements and images (the unsecure configuration is <Configuration> in both forms, as in real
        // exports); the packer only reorders them for the schema.
        var steps = Directory.EnumerateFiles(Path.Combine(Src, "SdkMessageProcessingSteps"), "*.xml").Select(f => XDocument.Load(f).Root!).ToList();
        Assert.IsNotEmpty(steps);
        AssertSameElements(zip, "steps", steps, customizations.Element("SdkMessageProcessingSteps")!.Elements("SdkMessageProcessingStep"),
            s => SolutionSource.ParseGuid((string?)s.Attribute("SdkMessageProcessingStepId")).ToString(), ordered: false);
        Assert.AreEqual(steps.Sum(s => s.Descendants("SdkMessageProcessingStepImage").Count()), customizations.Descendants("SdkMessageProcessingStepImage").Count(), $"{zip}: step images");

        AssertEmailTemplates(zip, customizations.Element("Templates")!);

        // Every section the packer does not compose is src's Customizations.xml section, unchanged; no section is added.
        var skeleton = XDocument.Load(Path.Combine(Src, "Other", "Customizations.xml")).Root!;
        foreach (var section in customizations.Elements().Where(s => !ComposedSections.Contains(s.Name.LocalName)))
        {
            var srcSection = skeleton.Element(section.Name);
            Assert.IsNotNull(srcSection, $"{zip}: customizations.xml has a section {section.Name} that src does not");
            Assert.AreEqual(Canonical(srcSection), Canonical(section), $"{zip}: section {section.Name}");
        }
        Assert.IsEmpty(customizations.Descendants().Where(e => e.Name.LocalName.StartsWith("customapi", StringComparison.OrdinalIgnoreCase)), $"{zip}: custom APIs are zip entries, never customizations.xml rows");
    }

    private static void AssertEmailTemplates(string zip, XElement packedTemplates)
    {
        var index = XDocument.Load(Path.Combine(Src, "Templates", "EmailTemplates.xml")).Root!;
        var srcTemplates = index.Elements("emailtemplate").ToList();
        var packed = packedTemplates.Element("EmailTemplates")!.Elements("emailtemplate").ToList();
        Assert.IsNotEmpty(srcTemplates);
        CollectionAssert.AreEquivalent(srcTemplates.Select(t => SolutionSource.ParseGuid(t.Element("templateid")!.Value)).ToList(),
            packed.Select(t => SolutionSource.ParseGuid(t.Element("templateid")!.Value)).ToList(), $"{zip}: email templates");
        foreach (var template in srcTemplates)
        {
            var id = SolutionSource.ParseGuid(template.Element("templateid")!.Value);
            var target = packed.Single(t => SolutionSource.ParseGuid(t.Element("templateid")!.Value) == id);
            var documents = Path.Combine(Src, "Templates", "EmailDocuments", template.Element("languagecode")!.Value.Trim(), "{" + id + "}");

            Assert.AreEqual(Lines(File.ReadAllText(Path.Combine(documents, "subject.xsl"))), Lines(target.Element("subject")!.Value), $"{zip}: template subject");
            Assert.AreEqual(Lines(File.ReadAllText(Path.Combine(documents, "body.xsl"))), Lines(target.Element("body")!.Value), $"{zip}: template body");
            Assert.AreEqual("8", template.Element("templatetypecode")!.Value.Trim(), "unpacked, as real exports, the object type code");
            Assert.AreEqual("8", target.Element("templatetypecode")!.Value, $"{zip}: a packed template names its table by object type code");
            // The presentation documents (what the template editor edits) are packed on one line without their declaration, as exports carry them.
            foreach (var name in new[] { "subjectpresentationxml", "presentationxml" })
                Assert.AreEqual(XElement.Parse(File.ReadAllText(Path.Combine(documents, name + ".xml"))).ToString(SaveOptions.DisableFormatting),
                    target.Element(name)!.Value, $"{zip}: template {name}");
            var documentElements = new[] { "subject", "body", "subjectpresentationxml", "presentationxml" };
            var rest = new XElement(target);
            rest.Elements().Where(e => e.Name.LocalName == "templatetypecode" || documentElements.Contains(e.Name.LocalName)).Remove();
            var srcRest = new XElement(template);
            srcRest.Elements().Where(e => e.Name.LocalName == "templatetypecode" || documentElements.Contains(e.Name.LocalName)).Remove();
            Assert.IsTrue(template.Elements().Where(e => documentElements.Contains(e.Name.LocalName)).All(e => e.IsEmpty || e.Value.Length == 0),
                "unpacked, the index keeps the document elements empty, as real exports do");
            Assert.AreEqual(Canonical(srcRest), Canonical(rest), $"{zip}: template {id}");
        }
    }

    private static void AssertManifestIsSrcsWithManaged(string zip, byte[] packed, bool managed)
    {
        var src = XDocument.Load(Path.Combine(Src, "Other", "Solution.xml")).Root!;
        Assert.AreEqual("2", src.Element("SolutionManifest")!.Element("Managed")!.Value, "src says Managed 2 (both), as unpack writes");
        src.Element("SolutionManifest")!.Element("Managed")!.Value = managed ? "1" : "0";

        Assert.AreEqual(Canonical(src), Canonical(XDocument.Load(new MemoryStream(packed)).Root!), $"{zip}: solution.xml");
    }

    /// <summary>Each src element appears once in the packed section (matched by key) with the same content, and the section holds no other.</summary>
    private static void AssertSameElements(string zip, string what, IEnumerable<XElement> src, IEnumerable<XElement> packed, Func<XElement, string> key, bool ordered = true)
    {
        var expected = src.ToDictionary(key, e => Canonical(e, ordered), StringComparer.Ordinal);
        var actual = packed.Select(e => (Key: key(e), Text: Canonical(e, ordered))).ToList();
        Assert.IsNotEmpty(expected, $"src has no {what}");
        CollectionAssert.AreEquivalent(expected.Keys.ToList(), actual.Select(a => a.Key).ToList(), $"{zip}: {what}");
        foreach (var (k, text) in actual) Assert.AreEqual(expected[k], text, $"{zip}: {what} {k}");
    }

    /// <summary>
    /// The content of an element, independent of how it was written: names, attributes (sorted, without namespace
    /// declarations), child elements (in document order, or sorted when order is not part of the comparison) and trimmed
    /// text; comments dropped, &lt;a&gt;&lt;/a&gt; equal to &lt;a /&gt;.
    /// </summary>
    private static string Canonical(XElement element, bool ordered = true)
    {
        var builder = new StringBuilder();
        builder.Append('<').Append(element.Name);
        foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration).OrderBy(a => a.Name.ToString(), StringComparer.Ordinal))
            builder.Append(' ').Append(attribute.Name).Append("=\"").Append(attribute.Value).Append('"');
        builder.Append('>');
        var children = element.Elements().Select(c => Canonical(c, ordered)).ToList();
        if (!ordered) children.Sort(StringComparer.Ordinal);
        if (children.Count == 0) builder.Append(Lines(element.Value).Trim());
        foreach (var child in children) builder.Append(child);
        return builder.Append("</").Append(element.Name).Append('>').ToString();
    }

    private static string Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string Relative(string file) => Path.GetRelativePath(Src, file).Replace('\\', '/');
}
