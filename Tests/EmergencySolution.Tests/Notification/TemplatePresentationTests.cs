extern alias PluginsAssembly;

using System.Text.RegularExpressions;
using System.Xml.Linq;
using PluginsAssembly::EmergencySolution.Notification;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Notification
{
    /// <summary>
    /// The shipped template in both of its forms: what the template editor edits (presentationxml,
    /// subjectpresentationxml) and what Dataverse renders (body, subject; XSL with the text output method and the HTML in
    /// CDATA). They must say the same thing, or an admin who opens the editor sees one email and the recipients get
    /// another; and the shipped form must leave every value to the notification step, which HTML-encodes it.
    /// </summary>
    [TestClass]
    public sealed class TemplatePresentationTests
    {
        private static readonly Guid ShippedTemplateId = new Guid("a5857f83-9d30-4202-a77b-96cb6e8f8401");
        private static readonly Guid EditorSampleId = new Guid("b3000000-0000-4000-8000-0000000000e1");
        private static readonly Regex TokenPattern = new Regex(@"\{\{emc:([A-Za-z0-9_]+)\}\}");

        [TestMethod]
        [DataRow("presentationxml", "body")]
        [DataRow("subjectpresentationxml", "subject")]
        public void ShippedTemplate_EditorPresentationAndRenderedStylesheet_HaveTheSamePartsInTheSameOrder(string presentationColumn, string stylesheetColumn)
        {
            var template = SolutionUnderTest.CreateWithoutSeed().GetRecord("template", ShippedTemplateId)!;

            var presentation = TemplatePresentation.FromPresentation(template.GetAttributeValue<string>(presentationColumn));
            var stylesheet = TemplatePresentation.FromStylesheet(template.GetAttributeValue<string>(stylesheetColumn));

            Assert.IsNotEmpty(presentation, presentationColumn + " is what the editor shows; it must not be empty");
            CollectionAssert.AreEqual(presentation.Select(p => p.ToString()).ToList(), stylesheet.Select(p => p.ToString()).ToList(),
                presentationColumn + " and " + stylesheetColumn + " differ");
        }

        [TestMethod]
        [DataRow("presentationxml", "description")]
        [DataRow("subjectpresentationxml", "subject")]
        public void ShippedTemplate_RenderedByInstantiateTemplateForTheAgent_IsTheTextTheEditorShows(string presentationColumn, string emailColumn)
        {
            var org = SolutionUnderTest.Create();
            var presentation = TemplatePresentation.FromPresentation(org.GetRecord("template", ShippedTemplateId)!.GetAttributeValue<string>(presentationColumn));

            var rendered = Instantiate(org, ShippedTemplateId, OmnichannelSeed.ReadyAgent).GetAttributeValue<string>(emailColumn);

            Assert.AreEqual(TemplatePresentation.Expected(presentation, AgentData(org, OmnichannelSeed.ReadyAgent)), rendered);
            CollectionAssert.AreEqual(Tokens(string.Concat(presentation.Select(p => p.Text))), Tokens(rendered), "the same tokens, in the same order");
        }

        [TestMethod]
        public void ShippedTemplate_TextOutputWithTheHtmlInCdata_EveryValueLeftToTheNotificationStep()
        {
            var template = SolutionUnderTest.CreateWithoutSeed().GetRecord("template", ShippedTemplateId)!;
            var body = template.GetAttributeValue<string>("body");
            var subject = template.GetAttributeValue<string>("subject");

            Assert.AreEqual("text", TemplatePresentation.OutputMethod(body), "real bodies use the text output method");
            Assert.AreEqual("text", TemplatePresentation.OutputMethod(subject));
            StringAssert.Contains(body, "<![CDATA[<div ", "the HTML is CDATA text, not literal elements of the stylesheet");

            // With the text output method nothing a stylesheet pulls from the record is escaped. The shipped template pulls
            // nothing: every value is a token, which the notification step HTML-encodes.
            var parts = TemplatePresentation.FromStylesheet(body).Concat(TemplatePresentation.FromStylesheet(subject)).ToList();
            Assert.IsFalse(parts.Any(p => p.IsField), "no dynamic field: " + string.Join(", ", parts.Where(p => p.IsField)));

            var bodyTokens = Tokens(body);
            CollectionAssert.AreEquivalent(EmergencyTokenRenderer.KnownTokens.ToList(), bodyTokens.Distinct().ToList(), "the body uses every token, and only known ones");
            CollectionAssert.IsSubsetOf(Tokens(subject).Distinct().ToList(), EmergencyTokenRenderer.KnownTokens.ToList());
        }

        [TestMethod]
        public void EditorTemplateWithDynamicFields_RenderedAsTheEditorShowsIt_TheDefaultWhenTheColumnHasNoValue()
        {
            var org = SolutionUnderTest.Create();
            var presentation = EditorPresentation("<p>Dear ", "first aider", ", {{emc:AgentName}} called.</p>");
            org.Initialize(new Entity("template", EditorSampleId)
            {
                ["title"] = "Editor sample",
                ["templatetypecode"] = "systemuser",
                ["presentationxml"] = presentation,
                ["body"] = EditorStylesheet("<p>Dear ", "first aider", ", {{emc:AgentName}} called.</p>"),
            });
            var parts = TemplatePresentation.FromPresentation(presentation);
            CollectionAssert.AreEqual(parts.Select(p => p.ToString()).ToList(),
                TemplatePresentation.FromStylesheet(org.GetRecord("template", EditorSampleId)!.GetAttributeValue<string>("body")).Select(p => p.ToString()).ToList());

            var withoutTitle = Instantiate(org, EditorSampleId, OmnichannelSeed.ReadyAgent).GetAttributeValue<string>("description");
            org.GetOrganizationService().Update(new Entity("systemuser", OmnichannelSeed.ReadyAgent) { ["title"] = string.Empty });
            var emptyTitle = Instantiate(org, EditorSampleId, OmnichannelSeed.ReadyAgent).GetAttributeValue<string>("description");
            org.GetOrganizationService().Update(new Entity("systemuser", OmnichannelSeed.ReadyAgent) { ["title"] = "Shift lead" });
            var withTitle = Instantiate(org, EditorSampleId, OmnichannelSeed.ReadyAgent).GetAttributeValue<string>("description");

            Assert.AreEqual("<p>Dear first aider, {{emc:AgentName}} called.</p>", withoutTitle);
            Assert.AreEqual(withoutTitle, emptyTitle, "an empty text is no value: the default is used");
            Assert.AreEqual("<p>Dear Shift lead, {{emc:AgentName}} called.</p>", withTitle);
            Assert.AreEqual(TemplatePresentation.Expected(parts, AgentData(org, OmnichannelSeed.ReadyAgent)), withTitle);
        }

        [TestMethod]
        public void PresentationAndStylesheetThatDisagree_TheComparisonSeesEachDifference()
        {
            var presentation = TemplatePresentation.FromPresentation(EditorPresentation("<p>Dear ", "first aider", ".</p>")).Select(p => p.ToString()).ToList();

            foreach (var stylesheet in new[]
            {
                EditorStylesheet("<p>Dear ", "colleague", ".</p>"),
                EditorStylesheet("<p>Hello ", "first aider", ".</p>"),
                EditorStylesheet("<p>Dear ", "first aider", ".</p>").Replace("systemuser/title", "systemuser/fullname", StringComparison.Ordinal),
                TemplatePresentation.Stylesheet("<![CDATA[<p>Dear first aider.</p>]]>"),
            })
            {
                CollectionAssert.AreNotEqual(presentation, TemplatePresentation.FromStylesheet(stylesheet).Select(p => p.ToString()).ToList(), stylesheet);
            }

            // A whitespace-only piece of text between two fields is not output by XSLT: the editor would show a space
            // that the email does not have.
            var spaced = "<template><slugs><slug><entity>systemuser</entity><attribute>firstname</attribute></slug><default /></slugs><text><![CDATA[ ]]></text>" +
                "<slugs><slug><entity>systemuser</entity><attribute>lastname</attribute></slug><default /></slugs></template>";
            var compiled = TemplatePresentation.Stylesheet(Choose("systemuser/firstname", string.Empty) + "<![CDATA[ ]]>" + Choose("systemuser/lastname", string.Empty));
            Assert.AreEqual(3, TemplatePresentation.FromPresentation(spaced).Count);
            Assert.AreEqual(2, TemplatePresentation.FromStylesheet(compiled).Count);
        }

        private static Entity Instantiate(InMemoryOrganization org, Guid templateId, Guid agentId)
        {
            var response = Lifecycle.LifecycleKit.AsAgent(org, agentId).Execute(new OrganizationRequest("InstantiateTemplate")
            {
                ["TemplateId"] = templateId,
                ["ObjectType"] = "systemuser",
                ["ObjectId"] = agentId,
            });
            return ((EntityCollection)response["EntityCollection"]).Entities.Single();
        }

        /// <summary>The data a template is rendered against for a user: their text columns under &lt;systemuser&gt;.</summary>
        private static XElement AgentData(InMemoryOrganization org, Guid agentId)
        {
            var user = org.GetRecord("systemuser", agentId)!;
            return new XElement("data", new XElement("systemuser",
                user.Attributes.Where(a => a.Value is string text && text.Length > 0).Select(a => new XElement(a.Key, (string)a.Value))));
        }

        private static List<string> Tokens(string text) => TokenPattern.Matches(text).Cast<Match>().Select(m => m.Groups[1].Value).ToList();

        /// <summary>A presentation as the editor writes it: text, the user's title with a default, text.</summary>
        private static string EditorPresentation(string before, string defaultTitle, string after) =>
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<template>\n  <text><![CDATA[" + before + "]]></text>\n  <slugs>\n    <slug>\n" +
            "      <entity>systemuser</entity>\n      <attribute>title</attribute>\n    </slug>\n    <default>" + defaultTitle + "</default>\n  </slugs>\n" +
            "  <text><![CDATA[" + after + "]]></text>\n</template>";

        /// <summary>The stylesheet the editor saves for <see cref="EditorPresentation"/>.</summary>
        private static string EditorStylesheet(string before, string defaultTitle, string after) =>
            TemplatePresentation.Stylesheet("<![CDATA[" + before + "]]>" + Choose("systemuser/title", defaultTitle) + "<![CDATA[" + after + "]]>");

        private static string Choose(string path, string defaultText) =>
            "<xsl:choose><xsl:when test=\"" + path + "\"><xsl:value-of select=\"" + path + "\" /></xsl:when><xsl:otherwise>" + defaultText + "</xsl:otherwise></xsl:choose>";
    }
}
