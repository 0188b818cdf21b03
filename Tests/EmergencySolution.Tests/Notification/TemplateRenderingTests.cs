using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Notification
{
    /// <summary>
    /// InstantiateTemplate in the in-memory Dataverse renders a template as XSLT does on the platform: the stylesheet's
    /// own output method decides the escaping. Real templates use the text output method with the HTML in CDATA, so
    /// the markup comes out as written and a column value comes out unescaped: the reason the notification step, not
    /// the template, brings every value in, HTML-encoded.
    /// </summary>
    [TestClass]
    public sealed class TemplateRenderingTests
    {
        private static readonly Guid TemplateId = new Guid("b3000000-0000-4000-8000-0000000000e2");
        private const string Name = "O'Hara & \"Sons\" <b>x</b>";

        [TestMethod]
        public void TextOutput_CdataMarkupAsWritten_ColumnValueUnescaped_TokensUntouched()
        {
            var org = OrganizationWith(TemplatePresentation.Stylesheet(method: "text", content: "<![CDATA[<p class=\"who\">]]><xsl:value-of select=\"systemuser/fullname\" /><![CDATA[ {{emc:Location}}</p>]]>"));

            Assert.AreEqual("<p class=\"who\">" + Name + " {{emc:Location}}</p>", RenderBody(org));
        }

        [TestMethod]
        public void HtmlOutput_LiteralElements_ColumnValueEscapedByTheProcessor()
        {
            var org = OrganizationWith(TemplatePresentation.Stylesheet(method: "html", content: "<p class=\"who\"><xsl:value-of select=\"systemuser/fullname\" /></p>"));

            Assert.AreEqual("<p class=\"who\">O'Hara &amp; \"Sons\" &lt;b&gt;x&lt;/b&gt;</p>", RenderBody(org));
        }

        [TestMethod]
        public void TextOutput_WhitespaceOnlyTextBetweenInstructionsDropped_WhitespaceNextToCdataKept()
        {
            var betweenInstructions = OrganizationWith(TemplatePresentation.Stylesheet(method: "text", content:
                "\n  <xsl:text>&lt;p&gt;</xsl:text>\n  <xsl:value-of select=\"systemuser/internalemailaddress\" />\n  <xsl:text>&lt;/p&gt;</xsl:text>\n"));
            var nextToCdata = OrganizationWith(TemplatePresentation.Stylesheet(method: "text", content: "\n  <![CDATA[<p>]]><xsl:value-of select=\"systemuser/internalemailaddress\" /><![CDATA[</p>]]>\n"));

            Assert.AreEqual("<p>avery@contoso.com</p>", RenderBody(betweenInstructions), "no XML declaration, no indentation");
            // Text and CDATA side by side are one text node to XSLT, kept whole: real templates carry no indentation.
            Assert.AreEqual("\n  <p>avery@contoso.com</p>\n", RenderBody(nextToCdata));
        }

        private static InMemoryOrganization OrganizationWith(string body)
        {
            var org = SolutionUnderTest.CreateWithoutSeed();
            org.Initialize(
                new Entity("systemuser", OmnichannelSeed.ReadyAgent) { ["fullname"] = Name, ["internalemailaddress"] = "avery@contoso.com" },
                new Entity("template", TemplateId) { ["title"] = "Rendering sample", ["templatetypecode"] = "systemuser", ["body"] = body });
            return org;
        }

        private static string RenderBody(InMemoryOrganization org)
        {
            var response = org.GetOrganizationService().Execute(new OrganizationRequest("InstantiateTemplate")
            {
                ["TemplateId"] = TemplateId,
                ["ObjectType"] = "systemuser",
                ["ObjectId"] = OmnichannelSeed.ReadyAgent,
            });
            return ((EntityCollection)response["EntityCollection"]).Entities.Single().GetAttributeValue<string>("description");
        }
    }
}
