extern alias PluginsAssembly;

using PluginsAssembly::EmergencySolution.Notification;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Notification
{
    /// <summary>
    /// The notification email as the asynchronous step sends it: the shipped template, InstantiateTemplate for the agent,
    /// every emergency token HTML-encoded, from the agent to unresolved recipient addresses, in 4 round trips.
    /// </summary>
    [TestClass]
    public sealed class NotificationEmailTests : Lifecycle.LifecycleTestBase
    {
        private static readonly Guid TemplateId = new Guid("a5857f83-9d30-4202-a77b-96cb6e8f8401");

        /// <summary>
        /// Dataverse stores the agent's zone as a Windows id ("Pacific Standard Time"). The sandbox (.NET Framework on
        /// Windows) resolves it, and so does .NET on Linux (through ICU); Mono on Linux, which runs the net462 build of
        /// these tests in CI, knows only IANA ids, so there the email takes its fallback. Which one applies is decided
        /// per runtime, never assumed: on .NET the zone must resolve.
        /// </summary>
        private static bool WindowsZoneIdsResolve
        {
            get
            {
#if NETFRAMEWORK
                try
                {
                    TimeZoneInfo.FindSystemTimeZoneById("Pacific Standard Time");
                    return true;
                }
                catch (TimeZoneNotFoundException)
                {
                    return false;
                }
#else
                return true;
#endif
            }
        }

        [TestMethod]
        public void Notification_ReadyAgent_EveryTokenFilledFromTheAgentToTheRecipientsInSevenRequests()
        {
            var org = CreateOrganization();
            org.KeepRequestsInLog = true; // Describe reads the batch requests themselves
            var start = Start(org, Support.OmnichannelSeed.ReadyAgent, "911", "US", location: "1 Main St\nSpringfield, IL 62701");
            org.ClearRequestLog();

            org.RunPendingAsyncOperations();

            var email = org.GetRecords("email").Single();
            var body = email.GetAttributeValue<string>("description");
            var subject = email.GetAttributeValue<string>("subject");
            Assert.AreEqual("Emergency call: Avery Ready dialed 911 in United States at 2026-01-05 09:00 UTC", subject);
            StringAssert.Contains(body, "<td>Avery Ready</td>");
            StringAssert.Contains(body, "<td>avery.ready@contoso.com</td>");
            if (WindowsZoneIdsResolve)
            {
                StringAssert.Contains(body, "2026-01-05 09:00 UTC; agent's time: 2026-01-05 01:00 ");
                StringAssert.Contains(body, "(Pacific Standard Time)");
            }
            else
            {
                // The documented fallback (docs/admin.md, {{emc:AgentTimeZone}}): an unknown zone gives UTC, said so.
                StringAssert.Contains(body, "2026-01-05 09:00 UTC; agent's time: 2026-01-05 09:00 UTC (unknown (times are UTC))");
            }

            StringAssert.Contains(body, "<td>911</td>");
            StringAssert.Contains(body, "United States (US)");
            StringAssert.Contains(body, "1 Main St\nSpringfield, IL 62701");
            StringAssert.Contains(body, "<td>+12025550101</td>");
            StringAssert.Contains(body, WindowsZoneIdsResolve ? "2026-01-05 10:00 UTC; agent's time: 2026-01-05 02:00 " : "2026-01-05 10:00 UTC; agent's time: 2026-01-05 10:00 UTC");
            StringAssert.Contains(body, start.CallId.ToString());
            Assert.IsFalse(body.Contains("{{", StringComparison.Ordinal) || subject.Contains("{{", StringComparison.Ordinal));

            var from = email.GetAttributeValue<EntityCollection>("from").Entities.Single();
            Assert.AreEqual(Support.OmnichannelSeed.ReadyAgent, from.GetAttributeValue<EntityReference>("partyid").Id);
            var to = email.GetAttributeValue<EntityCollection>("to").Entities;
            CollectionAssert.AreEqual(new[] { "supervisor@contoso.com", "safety.officer@contoso.com" },
                to.Select(p => p.GetAttributeValue<string>("addressused")).ToArray());
            Assert.IsTrue(to.All(p => p.GetAttributeValue<EntityReference>("partyid") == null), "recipients are unresolved addresses");
            Assert.AreEqual(3, OptionValue(email, "statuscode"));

            // Both follow-ups of the new call ran, one request at a time (no batch request types): presence (one read of
            // the agent's calls, one CCaaS_ModifyAgentPresence) and the email (configuration, call, template,
            // InstantiateTemplate, Create, SendEmail, Sent).
            var trips = org.RequestLog.Where(r => r.IsRoundTripFromPlugin && (r.PluginTypeName == NotificationPluginType || r.PluginTypeName == PresencePluginType))
                .Select(Describe).ToArray();
            CollectionAssert.AreEquivalent(new[]
            {
                "RetrieveMultiple emc_emergencycall", "CCaaS_ModifyAgentPresence",
                "RetrieveMultiple environmentvariabledefinition", "RetrieveMultiple emc_emergencycall", "RetrieveMultiple template",
                "InstantiateTemplate template", "Create email", "SendEmail email", "Update emc_emergencycall",
            }, trips, string.Join(", ", trips));
            Assert.AreEqual(1, org.CountRequests(r => r.MessageName == "SendEmail"));
            Assert.AreEqual(start.CallId, email.Id, "the email's id is the call's id, so the clean-up finds the stored copy");
            AssertConfidential(org);
        }

        [TestMethod]
        public void Notification_UserDataWithMarkupAndTokens_EncodedAndNeverExpanded()
        {
            var org = CreateOrganization(seed => seed.Agent(Support.OmnichannelSeed.ReadyAgent).FullName = "Avery <b>Ready</b> & {{emc:CallbackNumber}}");
            Start(org, Support.OmnichannelSeed.ReadyAgent, location: "<script>alert('x')</script> {{emc:DialedNumber}} & \"Suite 5\"");

            org.RunPendingAsyncOperations();

            var email = org.GetRecords("email").Single();
            var body = email.GetAttributeValue<string>("description");
            StringAssert.Contains(body, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; {{emc:DialedNumber}} &amp; &quot;Suite 5&quot;");
            StringAssert.Contains(body, "Avery &lt;b&gt;Ready&lt;/b&gt; &amp; {{emc:CallbackNumber}}");
            Assert.IsFalse(body.Contains("<script>", StringComparison.Ordinal));
            Assert.IsFalse(body.Contains("<b>Ready", StringComparison.Ordinal));
            StringAssert.Contains(email.GetAttributeValue<string>("subject"), "Avery <b>Ready</b> & {{emc:CallbackNumber}} dialed 911",
                "the plain-text subject carries the name as text, and a token typed into it is never expanded");
            Assert.IsFalse(body.Contains("+12025550101 dialed", StringComparison.Ordinal), "no token formed by record data is expanded");
        }

        [TestMethod]
        public void Notification_UnknownTokenInTheTemplate_StaysVisibleAndIsTracedByName()
        {
            var org = CreateOrganization();
            var body = org.GetRecord("template", TemplateId)!.GetAttributeValue<string>("body");
            ActAs.Administrator(org).Update(new Entity("template", TemplateId)
            {
                ["body"] = body.Replace("{{emc:EmergencyCallId}}", "{{emc:EmergencyCallId}} {{emc:SupervisorPhone}}", StringComparison.Ordinal),
            });
            org.ClearRequestLog();
            Start(org, Support.OmnichannelSeed.ReadyAgent);

            org.RunPendingAsyncOperations();

            StringAssert.Contains(org.GetRecords("email").Single().GetAttributeValue<string>("description"), "{{emc:SupervisorPhone}}");
            Assert.IsTrue(org.Traces.Any(t => t.Contains("unknown token {{emc:SupervisorPhone}}", StringComparison.Ordinal)),
                string.Join(Environment.NewLine, org.Traces));
        }

        [TestMethod]
        public void Notification_TemplateTitleFromTheEnvironmentVariable_UsesThatTemplate()
        {
            var org = CreateOrganization(seed => seed.Add(new Entity("template", new Guid("b3000000-0000-4000-8000-000000000001"))
            {
                ["title"] = "Contoso emergency notice",
                ["templatetypecode"] = "systemuser",
                ["languagecode"] = 1033,
                ["subject"] = TemplatePresentation.Stylesheet("<![CDATA[Contoso: {{emc:AgentName}}]]>"),
                ["body"] = TemplatePresentation.Stylesheet("<![CDATA[<p>{{emc:AgentName}} called {{emc:DialedNumber}} from {{emc:Location}}; call back {{emc:CallbackNumber}}</p>]]>"),
            }));
            SolutionUnderTest.SetEnvironmentVariable(org, "emc_NotificationTemplateTitle", "Contoso emergency notice");
            Start(org, Support.OmnichannelSeed.ReadyAgent, location: "Dock 4");

            org.RunPendingAsyncOperations();

            var email = org.GetRecords("email").Single();
            Assert.AreEqual("Contoso: Avery Ready", email.GetAttributeValue<string>("subject"));
            Assert.AreEqual("<p>Avery Ready called 911 from Dock 4; call back +12025550101</p>", email.GetAttributeValue<string>("description"));
        }

        [TestMethod]
        public void Notification_TemplateThatIsNotAStylesheet_SentWithTheBuiltInTextAndTheReasonRecorded()
        {
            var org = CreateOrganization();
            ActAs.Administrator(org).Update(new Entity("template", TemplateId) { ["body"] = "<p>unclosed" });
            org.ClearRequestLog();
            var start = Start(org, Support.OmnichannelSeed.ReadyAgent);

            org.RunPendingAsyncOperations();

            var call = Call(org, start.CallId);
            Assert.AreEqual(Sent, OptionValue(call, "emc_notificationstatus"));
            StringAssert.Contains(call.GetAttributeValue<string>("emc_notificationerror"), "Sent with the built-in text");
            Assert.AreEqual(0, org.FailedAsyncOperations.Count);
        }

        private static string Describe(ExecutedRequest request)
        {
            switch (request.Request)
            {
                case ExecuteMultipleRequest batch:
                    return "ExecuteMultiple " + string.Join("+", batch.Requests.OfType<RetrieveMultipleRequest>()
                        .Select(r => ((Microsoft.Xrm.Sdk.Query.QueryExpression)r.Query).EntityName));
                case ExecuteTransactionRequest transaction:
                    return "ExecuteTransaction " + string.Join("+", transaction.Requests.Select(r => r.RequestName));
                default:
                    return request.MessageName + (request.EntityName != null ? " " + request.EntityName : string.Empty);
            }
        }

        [TestMethod]
        public void Notification_RecipientsRemovedAfterStart_NotConfiguredAndNoEmail()
        {
            var org = CreateOrganization();
            var start = Start(org, Support.OmnichannelSeed.ReadyAgent);
            ActAs.Administrator(org).Update(new Entity("systemuser", Support.OmnichannelSeed.ReadyAgent) { ["msdyn_emergencyemailrecipients"] = null });

            org.RunPendingAsyncOperations();

            Assert.AreEqual(NotConfigured, OptionValue(Call(org, start.CallId), "emc_notificationstatus"));
            Assert.AreEqual(0, org.GetRecords("email").Count);
        }

        [TestMethod]
        public void Notification_AgentWithoutTimeZone_LocalTimesFallBackToUtc()
        {
            var org = CreateOrganization(seed => seed.Agent(Support.OmnichannelSeed.ReadyAgent).TimeZoneCode = null);
            Start(org, Support.OmnichannelSeed.ReadyAgent);

            org.RunPendingAsyncOperations();

            var body = org.GetRecords("email").Single().GetAttributeValue<string>("description");
            StringAssert.Contains(body, "agent's time: 2026-01-05 09:00 UTC (unknown (times are UTC))");
        }

        [TestMethod]
        public void TokenRenderer_SinglePass_ValuesAreNeverScannedAgain()
        {
            var values = new Dictionary<string, string>
            {
                [EmergencyTokenRenderer.Location] = "{{emc:CallbackNumber}}",
                [EmergencyTokenRenderer.CallbackNumber] = "+12025550101",
            };

            var text = EmergencyTokenRenderer.Render("at {{emc:Location}}, {{emc:Nope}}, {{emc:CallbackNumber}}", values, true, out var unknown);

            Assert.AreEqual("at {{emc:CallbackNumber}}, {{emc:Nope}}, +12025550101", text);
            CollectionAssert.AreEqual(new[] { "Nope" }, unknown.ToArray());
        }

        [TestMethod]
        public void TokenRenderer_SubjectValues_FlattenedToOneLineNotEncoded()
        {
            var values = new Dictionary<string, string> { [EmergencyTokenRenderer.AgentName] = "O'Brien & Co\r\nBcc: x@y" };

            var text = EmergencyTokenRenderer.Render("{{emc:AgentName}}", values, false, out _);

            Assert.AreEqual("O'Brien & Co  Bcc: x@y", text);
        }

        [TestMethod]
        public void Template_ShippedInTheSolution_MeetsKarisLawMinimum()
        {
            var org = CreateOrganizationWithoutSeed();

            var template = org.GetRecord("template", TemplateId)!;

            Assert.AreEqual("Emergency Call Notification Template", template.GetAttributeValue<string>("title"));
            Assert.AreEqual("systemuser", template.GetAttributeValue<string>("templatetypecode"));
            var body = template.GetAttributeValue<string>("body");
            foreach (var token in EmergencyTokenRenderer.KnownTokens)
            {
                StringAssert.Contains(body, EmergencyTokenRenderer.Token(token));
            }

            StringAssert.Contains(body, "An emergency call was made.");
            StringAssert.Contains(body, "<xsl:output method=\"text\"");
        }
    }
}
