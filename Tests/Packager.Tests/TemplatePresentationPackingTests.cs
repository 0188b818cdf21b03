using System.Xml.Linq;

namespace EmergencySolution.Packager.Tests;

/// <summary>
/// An email template's presentation documents (presentationxml.xml, subjectpresentationxml.xml: what the template
/// editor edits) go into customizations.xml as real exports carry them: the XML on one line without its declaration,
/// in the element the unpacked index keeps empty for it. The XSL documents stay as they are written.
/// </summary>
[TestClass]
public sealed class TemplatePresentationPackingTests
{
    private const string TemplateFolder = "Templates/EmailDocuments/1033/{44444444-aaaa-4bbb-8ccc-000000000001}/";

    private const string Presentation = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<template>\n  <text><![CDATA[<p>Dear ]]></text>\n  <slugs>\n" +
        "    <slug>\n      <entity>systemuser</entity>\n      <attribute>fullname</attribute>\n    </slug>\n    <default>colleague</default>\n  </slugs>\n" +
        "  <text><![CDATA[, {{emc:AgentName}} & co.</p>]]></text>\n</template>";

    private static void AddPresentation(FixtureSolution fixture, string body = Presentation, string subject = "<template>\n  <text><![CDATA[Emergency call]]></text>\n</template>")
    {
        File.WriteAllText(fixture.SrcFile(TemplateFolder + "presentationxml.xml"), body);
        File.WriteAllText(fixture.SrcFile(TemplateFolder + "subjectpresentationxml.xml"), subject);
        fixture.EditXml("Templates/EmailTemplates.xml", root =>
        {
            var template = root.Element("emailtemplate")!;
            template.Add(new XElement("presentationxml"), new XElement("subjectpresentationxml"));
        });
    }

    [TestMethod]
    public void Pack_PresentationDocuments_OneLineWithoutDeclarationInTheirElements()
    {
        using var fixture = new FixtureSolution();
        AddPresentation(fixture);

        Assert.IsTrue(fixture.Pack().Succeeded, fixture.Log);

        var template = XDocument.Load(new MemoryStream(FixtureSolution.ReadZip(fixture.ZipPath(managed: false))["customizations.xml"]))
            .Descendants("emailtemplate").Single();
        Assert.AreEqual(
            "<template><text><![CDATA[<p>Dear ]]></text><slugs><slug><entity>systemuser</entity><attribute>fullname</attribute></slug>" +
            "<default>colleague</default></slugs><text><![CDATA[, {{emc:AgentName}} & co.</p>]]></text></template>",
            template.Element("presentationxml")!.Value);
        Assert.AreEqual("<template><text><![CDATA[Emergency call]]></text></template>", template.Element("subjectpresentationxml")!.Value);
        Assert.AreEqual(1, template.Elements("presentationxml").Count(), "the empty element of the index is filled, not repeated");
        Assert.AreEqual(File.ReadAllText(fixture.SrcFile(TemplateFolder + "body.xsl")), template.Element("body")!.Value, "the XSL text is packed as it is");
    }

    [TestMethod]
    public void Pack_PresentationNotWellFormed_Fails()
    {
        using var fixture = new FixtureSolution();
        AddPresentation(fixture, body: "<template><text><![CDATA[<p>unclosed]]></text>");

        var result = fixture.Pack();

        Assert.IsFalse(result.Succeeded);
        Assert.IsTrue(result.Failures.Any(f => f.File.EndsWith("presentationxml.xml", StringComparison.Ordinal) && f.Reason.Contains("presentationxml is not well-formed XML", StringComparison.Ordinal)),
            string.Join("\n", result.Failures));
    }

    [TestMethod]
    public void Pack_PresentationNotAnEditorTemplate_Fails()
    {
        using var fixture = new FixtureSolution();
        AddPresentation(fixture, subject: "<template><p>Emergency call</p></template>");

        var result = fixture.Pack();

        Assert.IsFalse(result.Succeeded);
        Assert.IsTrue(result.Failures.Any(f => f.File.EndsWith("subjectpresentationxml.xml", StringComparison.Ordinal) &&
            f.Reason.Contains("subjectpresentationxml must be <template> with <text> and <slugs> children", StringComparison.Ordinal)), string.Join("\n", result.Failures));
    }
}
