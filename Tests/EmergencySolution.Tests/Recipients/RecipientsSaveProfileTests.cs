using System.ServiceModel;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace EmergencySolution.Tests.Recipients
{
    /// <summary>
    /// The user save of "Emergency Call Notifications" also finds the agent's outbound-voice profile problems that the
    /// readiness check finds (issue 13, item 6), through the registered step. Only wrong input in the field refuses the
    /// save; a profile problem is traced with the readiness check's own sentence and the save goes on.
    /// </summary>
    [TestClass]
    public sealed class RecipientsSaveProfileTests
    {
        private const string Column = "msdyn_emergencyemailrecipients";
        private const string PluginType = "EmergencySolution.Plugins.NotificationRecipientsPlugin";
        private const string List = " duty.manager@contoso.com , safety@contoso.com ";
        private const string Stored = "duty.manager@contoso.com;safety@contoso.com";

        [TestMethod]
        public void Update_AgentWithoutAnyCapacityProfile_SavedAndTheReadinessLineTraced_OneRoundTrip()
        {
            var org = SolutionUnderTest.Create();

            ActAs.Administrator(org).Update(new Entity("systemuser", OmnichannelSeed.NoProfileAgent) { [Column] = List });

            Assert.AreEqual(Stored, StoredRecipients(org, OmnichannelSeed.NoProfileAgent), "a profile problem never refuses the admin's field");
            var warning = Warning(org);
            StringAssert.Contains(warning, "has no active capacity profile");
            StringAssert.Contains(warning, "voice outbound profile");
            Assert.AreEqual(1, org.CountRoundTrips(PluginType), "the readiness check's one agent query");
            Assert.AreEqual(1, org.CountRequests("RetrieveMultiple", "systemuser"));
        }

        [TestMethod]
        public void Update_AgentWithInboundVoiceOnly_SavedAndTheSameSentenceAsReadiness()
        {
            var org = SolutionUnderTest.Create();
            var service = ActAs.Administrator(org);

            service.Update(new Entity("systemuser", OmnichannelSeed.InboundOnlyAgent) { [Column] = List });

            Assert.AreEqual(Stored, StoredRecipients(org, OmnichannelSeed.InboundOnlyAgent));
            var readiness = (string[])service.Execute(new OrganizationRequest("emc_GetEmergencyReadiness")
            {
                ["AgentId"] = OmnichannelSeed.InboundOnlyAgent,
                ["CountryCode"] = "US",
            })["Checks"];
            var profileLine = readiness.Single(line => line.Contains("inbound voice profiles", StringComparison.Ordinal));
            StringAssert.Contains(Warning(org), profileLine, "the save reports what readiness reports, word for word");
        }

        [TestMethod]
        public void Update_ReadyAgent_SavedWithoutWarning_OneRoundTrip()
        {
            var org = SolutionUnderTest.Create();

            ActAs.Administrator(org).Update(new Entity("systemuser", OmnichannelSeed.ReadyAgent) { [Column] = List });

            Assert.AreEqual(Stored, StoredRecipients(org, OmnichannelSeed.ReadyAgent));
            Assert.IsFalse(org.Traces.Any(t => t.Contains("readiness warning", StringComparison.Ordinal)));
            Assert.IsTrue(org.Traces.Any(t => t.Contains("outbound voice profile Ready", StringComparison.Ordinal)));
            Assert.AreEqual(1, org.CountRoundTrips(PluginType));
        }

        [TestMethod]
        public void Update_InvalidListForAgentWithoutProfile_RefusedForTheFieldOnly_NoProfileRead()
        {
            var org = SolutionUnderTest.Create();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                ActAs.Administrator(org).Update(new Entity("systemuser", OmnichannelSeed.NoProfileAgent) { [Column] = "ops@contoso" }));

            StringAssert.Contains(fault.Detail.Message, "\"ops@contoso\"");
            Assert.IsFalse(fault.Detail.Message.Contains("capacity", StringComparison.OrdinalIgnoreCase), "the refusal names the field's input only");
            Assert.AreEqual(0, org.CountRoundTrips(PluginType));
        }

        [TestMethod]
        public void Update_AgentReadFails_SavedAndTraced()
        {
            var org = SolutionUnderTest.Create();
            org.FailWhen(request => request is RetrieveMultipleRequest, new OrganizationServiceFault { ErrorCode = -2147204784, Message = "SQL timeout" });

            ActAs.Administrator(org).Update(new Entity("systemuser", OmnichannelSeed.NoProfileAgent) { [Column] = List });

            Assert.AreEqual(Stored, StoredRecipients(org, OmnichannelSeed.NoProfileAgent), "a failed read never refuses the save");
            Assert.IsTrue(org.Traces.Any(t => t.Contains("could not be read (SQL timeout)", StringComparison.Ordinal)));
            Assert.IsTrue(org.Traces.Any(t => t.Contains("outbound voice profile CouldNotRead", StringComparison.Ordinal)));
        }

        [TestMethod]
        public void CreateAndClear_NoProfileRead_ZeroRoundTrips()
        {
            var org = SolutionUnderTest.Create();
            var newUser = new Guid("b2000000-0000-4000-8000-000000000001");

            // Users are created by Microsoft Entra ID synchronisation (SYSTEM here); the admin then saves the user form.
            org.GetOrganizationService().Create(new Entity("systemuser", newUser) { ["fullname"] = "New Agent", [Column] = List });
            ActAs.Administrator(org).Update(new Entity("systemuser", OmnichannelSeed.NoProfileAgent) { [Column] = " ; " });

            Assert.AreEqual(Stored, StoredRecipients(org, newUser));
            Assert.AreEqual(0, org.CountRoundTrips(PluginType), "a new user has no bookable resource yet; a cleared list sets up no notification");
            Assert.AreEqual(2, org.Traces.Count(t => t.Contains("outbound voice profile NotChecked", StringComparison.Ordinal)));
        }

        private static string Warning(InMemoryOrganization org) =>
            org.Traces.Single(t => t.Contains("saved, with a readiness warning", StringComparison.Ordinal));

        private static string? StoredRecipients(InMemoryOrganization org, Guid userId) =>
            org.GetRecord("systemuser", userId)!.GetAttributeValue<string>(Column);
    }
}
