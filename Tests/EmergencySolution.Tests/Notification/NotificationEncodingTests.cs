extern alias PluginsAssembly;

using System.Text.RegularExpressions;
using PluginsAssembly::EmergencySolution.Notification;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Notification
{
    /// <summary>
    /// Every value in the notification body comes from the notification step, HTML-encoded: the template is text output
    /// with its HTML in CDATA, so neither the platform nor the template escapes anything. A value with &lt;, &gt;, &amp; or
    /// quotes comes out as text, never as markup, and cannot add to or break the email's structure.
    /// </summary>
    [TestClass]
    public sealed class NotificationEncodingTests : Lifecycle.LifecycleTestBase
    {
        private const string AgentName = "O'Hara & \"Sons\" <b>x</b>";
        private const string Location = "<img src=x onerror=\"alert('1')\"> & Co, 1 Main St";

        [TestMethod]
        public void Notification_AgentAndLocationWithMarkupAndQuotes_EachEncodedInTheBodyAndTheTableIntact()
        {
            var org = CreateOrganization(seed => seed.Agent(Support.OmnichannelSeed.ReadyAgent).FullName = AgentName);
            var start = Start(org, Support.OmnichannelSeed.ReadyAgent, location: Location);

            org.RunPendingAsyncOperations();

            var email = org.GetRecords("email").Single();
            var body = email.GetAttributeValue<string>("description");
            StringAssert.Contains(body, "<td>O&#39;Hara &amp; &quot;Sons&quot; &lt;b&gt;x&lt;/b&gt;</td>");
            StringAssert.Contains(body, "<td>&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; Co, 1 Main St</td>");
            // The seed derives the agent's email from the name, so it carries the same characters.
            StringAssert.Contains(body, "<td>o&#39;hara.&amp;.&quot;sons&quot;.&lt;b&gt;x&lt;/b&gt;@contoso.com</td>");
            foreach (var raw in new[] { "<b>", "<img", "\"Sons\"", "'1'", "& Co", "O'Hara" })
            {
                Assert.IsFalse(body.Contains(raw, StringComparison.Ordinal), "unencoded in the body: " + raw);
            }

            var template = org.GetRecord("template", new Guid("a5857f83-9d30-4202-a77b-96cb6e8f8401"))!.GetAttributeValue<string>("presentationxml");
            Assert.AreEqual(Count(template, "<tr>"), Count(body, "<tr>"), "values add no rows");
            Assert.AreEqual(Count(template, "<td>"), Count(body, "<td>"), "values add no cells");
            Assert.AreEqual(Sent, OptionValue(Call(org, start.CallId), "emc_notificationstatus"));

            // The subject is plain text: the name as it is, nothing encoded (an "&amp;" would show literally).
            StringAssert.StartsWith(email.GetAttributeValue<string>("subject"), "Emergency call: " + AgentName + " dialed 911 in United States");
        }

        [TestMethod]
        public void ShippedBody_EveryTokenWithMarkupAndQuotes_ComesOutEncoded()
        {
            var org = CreateOrganization();
            var rendered = AsAgent(org, Support.OmnichannelSeed.ReadyAgent).Execute(new OrganizationRequest("InstantiateTemplate")
            {
                ["TemplateId"] = new Guid("a5857f83-9d30-4202-a77b-96cb6e8f8401"),
                ["ObjectType"] = "systemuser",
                ["ObjectId"] = Support.OmnichannelSeed.ReadyAgent,
            });
            var body = ((EntityCollection)rendered["EntityCollection"]).Entities.Single().GetAttributeValue<string>("description");
            var values = EmergencyTokenRenderer.KnownTokens.ToDictionary(name => name, name => "<i " + name + "=\"1\" b='2'>&</i>");

            var html = EmergencyTokenRenderer.Render(body, values, true, out var unknown);

            Assert.IsEmpty(unknown);
            foreach (var name in EmergencyTokenRenderer.KnownTokens)
            {
                StringAssert.Contains(html, "&lt;i " + name + "=&quot;1&quot; b=&#39;2&#39;&gt;&amp;&lt;/i&gt;", name);
                Assert.IsFalse(html.Contains("<i " + name, StringComparison.Ordinal), name + " is markup in the body");
            }

            Assert.IsFalse(html.Contains("{{emc:", StringComparison.Ordinal));
        }

        [TestMethod]
        public void BuiltInBody_UsedWhenTheTemplateFails_EncodesTheSameWay()
        {
            var org = CreateOrganization(seed => seed.Agent(Support.OmnichannelSeed.ReadyAgent).FullName = AgentName);
            org.FailMessage("InstantiateTemplate", unchecked((int)0x80040220), "The user does not have read access to the template.");
            Start(org, Support.OmnichannelSeed.ReadyAgent, location: Location);

            org.RunPendingAsyncOperations();

            var body = org.GetRecords("email").Single().GetAttributeValue<string>("description");
            StringAssert.Contains(body, "<td>O&#39;Hara &amp; &quot;Sons&quot; &lt;b&gt;x&lt;/b&gt;</td>");
            StringAssert.Contains(body, "<td>&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; Co, 1 Main St</td>");
            StringAssert.Contains(body, "<tr><td>How a callback reaches the agent</td><td>", "the built-in text says how a callback reaches the agent too");
            Assert.IsFalse(body.Contains("<b>", StringComparison.Ordinal) || body.Contains("<img", StringComparison.Ordinal), body);
        }

        private static int Count(string text, string what) => Regex.Matches(text, Regex.Escape(what)).Count;
    }
}
