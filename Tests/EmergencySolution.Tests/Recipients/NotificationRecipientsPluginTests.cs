using System.ServiceModel;
using System.Text.Json;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Recipients
{
    /// <summary>
    /// The "Emergency Call Notifications" column through the registered pipeline: systemuser Create and Update
    /// (filtered to the column), synchronous PreOperation.
    /// </summary>
    [TestClass]
    public sealed class NotificationRecipientsPluginTests
    {
        private const string Column = "msdyn_emergencyemailrecipients";
        private const string PluginType = "EmergencySolution.Plugins.NotificationRecipientsPlugin";
        private static readonly Guid NewUserId = new Guid("b1000000-0000-4000-8000-000000000001");

        [TestMethod]
        public void Create_ValidListWithSpacesAndCommas_StoresNormalizedValue()
        {
            var org = SolutionUnderTest.Create();

            org.GetOrganizationService().Create(NewUser(" alice@contoso.com , bob@fabrikam.com ;"));

            Assert.AreEqual("alice@contoso.com;bob@fabrikam.com", StoredRecipients(org, NewUserId));
        }

        [TestMethod]
        public void Update_PastedOutlookList_KeepsOnlyTheAddresses()
        {
            var org = SolutionUnderTest.Create();

            ActAs.Administrator(org).Update(new Entity("systemuser", OmnichannelSeed.ReadyAgent)
            {
                [Column] = "\"Doe, John\" <John.Doe@contoso.com>; Safety Desk <safety@contoso.com>\r\n<ops@fabrikam.com>",
            });

            Assert.AreEqual("John.Doe@contoso.com;safety@contoso.com;ops@fabrikam.com", StoredRecipients(org, OmnichannelSeed.ReadyAgent));
        }

        [TestMethod]
        public void Update_DuplicatesInOtherCase_KeepsFirstSpellingOnce()
        {
            var org = SolutionUnderTest.Create();

            ActAs.Administrator(org).Update(new Entity("systemuser", OmnichannelSeed.ReadyAgent)
            {
                [Column] = "Ops@Contoso.com;ops@contoso.com;OPS@CONTOSO.COM;night@contoso.com",
            });

            Assert.AreEqual("Ops@Contoso.com;night@contoso.com", StoredRecipients(org, OmnichannelSeed.ReadyAgent));
        }

        [TestMethod]
        public void Update_MixedValidAndInvalid_RejectsNamingEveryBadEntryAndSavesNothing()
        {
            var org = SolutionUnderTest.Create();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                ActAs.Administrator(org).Update(new Entity("systemuser", OmnichannelSeed.ReadyAgent)
                {
                    [Column] = "good@contoso.com; bob@example; no-at-sign; two@@contoso.com; good2@contoso.com",
                    ["fullname"] = "Renamed In The Same Save",
                }));

            var message = fault.Detail.Message;
            StringAssert.Contains(message, "3 problems");
            StringAssert.Contains(message, "\"bob@example\" — the domain must contain a dot [invalid-domain]");
            StringAssert.Contains(message, "\"no-at-sign\" — it has no @ [missing-at]");
            StringAssert.Contains(message, "\"two@@contoso.com\" — it has more than one @ [multiple-at]");
            Assert.IsFalse(message.Contains("good@contoso.com", StringComparison.Ordinal), "valid entries are not listed as problems");
            Assert.AreEqual(OmnichannelSeed.ReadyAgentRecipients, StoredRecipients(org, OmnichannelSeed.ReadyAgent), "nothing of the save is kept");
            Assert.AreEqual("Avery Ready", org.GetRecord("systemuser", OmnichannelSeed.ReadyAgent)!.GetAttributeValue<string>("fullname"));
        }

        [TestMethod]
        public void Update_EmptyValue_ClearsTheList()
        {
            var org = SolutionUnderTest.Create();

            ActAs.Administrator(org).Update(new Entity("systemuser", OmnichannelSeed.ReadyAgent) { [Column] = "  ;  " });

            Assert.IsNull(StoredRecipients(org, OmnichannelSeed.ReadyAgent));
        }

        [TestMethod]
        public void Update_OtherColumnOnly_DoesNotRunThePlugin()
        {
            var org = SolutionUnderTest.Create();

            ActAs.Administrator(org).Update(new Entity("systemuser", OmnichannelSeed.ReadyAgent) { ["fullname"] = "Avery R." });

            Assert.IsFalse(org.Traces.Any(t => t.Contains("NotificationRecipientsPlugin", StringComparison.Ordinal)),
                "the Update step is filtered to the recipients column");
        }

        [TestMethod]
        public void Create_WithoutTheColumn_SavesTheUser()
        {
            var org = SolutionUnderTest.Create();

            org.GetOrganizationService().Create(new Entity("systemuser", NewUserId) { ["fullname"] = "No Recipients" });

            Assert.IsNotNull(org.GetRecord("systemuser", NewUserId));
            Assert.IsNull(StoredRecipients(org, NewUserId));
        }

        [TestMethod]
        public void CreateAndUpdate_OnlyAValidUpdateReadsTheProfile_OneRoundTrip()
        {
            var org = SolutionUnderTest.Create();
            var service = org.GetOrganizationService();

            service.Create(NewUser("a@contoso.com;b@contoso.com"));
            service.Update(new Entity("systemuser", NewUserId) { [Column] = "c@contoso.com" });
            Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                service.Update(new Entity("systemuser", NewUserId) { [Column] = "not valid" }));

            // The valid Update also checks the agent's outbound-voice profile (one query; RecipientsSaveProfileTests).
            Assert.AreEqual(1, org.CountRoundTrips(PluginType));
            Assert.IsTrue(org.Traces.Any(t => t.Contains("NotificationRecipientsPlugin", StringComparison.Ordinal)), "the plugin ran");
        }

        [TestMethod]
        public void Update_FiftyOneRecipients_RejectedAsTooMany()
        {
            var org = SolutionUnderTest.Create();
            var list = string.Join(";", Enumerable.Range(1, 51).Select(i => "agent" + i + "@contoso.com"));

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                ActAs.Administrator(org).Update(new Entity("systemuser", OmnichannelSeed.ReadyAgent) { [Column] = list }));

            StringAssert.Contains(fault.Detail.Message, "There are 51 recipients; at most 50 are allowed [too-many-recipients]");
        }

        /// <summary>Every case of the shared vector file, each through a real systemuser Create.</summary>
        /// <remarks>Longer than 60 lines: it reads each vector field next to the assertion it drives, as the TypeScript twin does.</remarks>
        [TestMethod]
        public void Create_EverySharedVectorCase_MatchesTheVector()
        {
            var path = Path.Combine(SolutionUnderTest.RepositoryRoot, "Tests", "vectors", "recipients.json");
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var cases = document.RootElement.GetProperty("cases").EnumerateArray().ToList();
            Assert.IsTrue(cases.Count >= 30, "the vector file holds at least 30 cases");

            var org = SolutionUnderTest.Create();
            var service = org.GetOrganizationService();
            var mismatches = new List<string>();
            var index = 0;
            foreach (var vector in cases)
            {
                index++;
                var name = vector.GetProperty("name").GetString();
                var input = vector.GetProperty("input").ValueKind == JsonValueKind.Null ? null : vector.GetProperty("input").GetString();
                var userId = new Guid(0xb2000000, 0, 0x4000, 0x80, 0, 0, 0, 0, 0, (byte)(index >> 8), (byte)index);
                var user = new Entity("systemuser", userId) { ["fullname"] = "Vector " + index, [Column] = input };

                if (vector.TryGetProperty("expected", out var expected))
                {
                    try
                    {
                        service.Create(user);
                    }
                    catch (FaultException<OrganizationServiceFault> fault)
                    {
                        mismatches.Add(name + ": expected '" + expected.GetString() + "' but was rejected: " + fault.Detail.Message);
                        continue;
                    }

                    var stored = StoredRecipients(org, userId) ?? string.Empty;
                    if (stored != expected.GetString())
                    {
                        mismatches.Add(name + ": expected '" + expected.GetString() + "' but stored '" + stored + "'");
                    }

                    continue;
                }

                var expectedErrors = vector.GetProperty("errors").EnumerateArray()
                    .Select(e => (Entry: e.GetProperty("entry").ValueKind == JsonValueKind.Null ? null : e.GetProperty("entry").GetString(),
                        Code: e.GetProperty("code").GetString()!))
                    .ToList();
                try
                {
                    service.Create(user);
                    mismatches.Add(name + ": expected " + expectedErrors.Count + " error(s) but the value was saved as '" + StoredRecipients(org, userId) + "'");
                    continue;
                }
                catch (FaultException<OrganizationServiceFault> fault)
                {
                    var problem = CheckErrorsInOrder(fault.Detail.Message, expectedErrors);
                    if (problem != null)
                    {
                        mismatches.Add(name + ": " + problem);
                    }
                }

                if (org.GetRecord("systemuser", userId) != null)
                {
                    mismatches.Add(name + ": the rejected user was saved");
                }
            }

            Assert.AreEqual(0, mismatches.Count, string.Join(Environment.NewLine, mismatches));
        }

        /// <summary>Each expected error (entry and code) must appear in the message, in the vector's order.</summary>
        private static string? CheckErrorsInOrder(string message, List<(string? Entry, string Code)> expectedErrors)
        {
            var count = expectedErrors.Count == 1 ? "1 problem." : expectedErrors.Count + " problems.";
            if (!message.Contains(count, StringComparison.Ordinal))
            {
                return "expected " + count + " in: " + message;
            }

            var position = 0;
            foreach (var (entry, code) in expectedErrors)
            {
                var needle = entry == null ? "[" + code + "]" : "\"" + entry + "\" — ";
                var at = message.IndexOf(needle, position, StringComparison.Ordinal);
                if (at < 0)
                {
                    return "missing '" + needle + "' (code " + code + ") after position " + position + " in: " + message;
                }

                var codeAt = message.IndexOf("[" + code + "]", at, StringComparison.Ordinal);
                var nextQuote = entry == null ? -1 : message.IndexOf(". \"", at + needle.Length, StringComparison.Ordinal);
                if (codeAt < 0 || (nextQuote >= 0 && codeAt > nextQuote))
                {
                    return "entry '" + entry + "' is not reported with code " + code + " in: " + message;
                }

                position = codeAt;
            }

            return null;
        }

        private static Entity NewUser(string recipients) => new Entity("systemuser", NewUserId)
        {
            ["fullname"] = "New Agent",
            [Column] = recipients,
        };

        private static string? StoredRecipients(InMemoryOrganization org, Guid userId) =>
            org.GetRecord("systemuser", userId)?.GetAttributeValue<string>(Column);
    }
}
