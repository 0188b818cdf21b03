using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Lifecycle
{
    /// <summary>
    /// Faults injected one at a time. In every case the call starts (Start returns an id and the row exists), the
    /// fault is recorded (a warning in the response and on the row, or the notification status and reason on the
    /// row), and nothing of the call is stored as history.
    /// </summary>
    [TestClass]
    public sealed class FaultInjectionTests : LifecycleTestBase
    {
        [TestMethod]
        public void Fault_EmailSendFails_CallStartsAndFailureWithReasonIsRecorded()
        {
            var org = CreateOrganization();
            org.FailMessage("SendEmail", unchecked((int)0x8005E21D), "The mailbox of the sender is not enabled for outgoing email.");

            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.RunPendingAsyncOperations();

            var call = Call(org, start.CallId);
            Assert.AreEqual(Failed, OptionValue(call, "emc_notificationstatus"));
            StringAssert.Contains(call.GetAttributeValue<string>("emc_notificationerror"), "The mailbox of the sender is not enabled for outgoing email.");
            Assert.AreEqual(0, org.GetRecords("email").Count, "the email create was rolled back with the failed send");
            Assert.AreEqual(0, org.FailedAsyncOperations.Count, "the step records the failure instead of failing");
            Assert.AreEqual(0, OptionValue(call, "statecode"), "the call goes on");
            AssertConfidential(org);
        }

        [TestMethod]
        public void Fault_TemplateMissing_CallStartsAndFailureNamesTheTitle()
        {
            var org = CreateOrganization();
            foreach (var template in org.GetRecords("template"))
            {
                org.GetOrganizationService().Delete("template", template.Id);
            }

            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.RunPendingAsyncOperations();

            var call = Call(org, start.CallId);
            Assert.AreEqual(Failed, OptionValue(call, "emc_notificationstatus"));
            StringAssert.Contains(call.GetAttributeValue<string>("emc_notificationerror"),
                "The email template \"Emergency Call Notification Template\" does not exist.");
            AssertConfidential(org);
        }

        [TestMethod]
        public void Fault_PresenceUpdateFails_CallStartsAndTheWarningIsOnTheCall()
        {
            var org = CreateOrganization();
            org.FailContactCenterPresence("CCaaS_ModifyAgentPresence", 500);

            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.RunPendingAsyncOperations();

            Assert.AreNotEqual(Guid.Empty, start.CallId);
            Assert.AreEqual("+12025550101", start.CallbackNumber, "the lease is unaffected");
            var warnings = Call(org, start.CallId).GetAttributeValue<string>("emc_warnings");
            StringAssert.Contains(warnings, "Presence could not be set to Do not disturb through CCaaS_ModifyAgentPresence (CCaaS_ModifyAgentPresence: ");
            StringAssert.Contains(warnings, "Internal Server Error); set it by hand.");
            Assert.AreEqual(OmnichannelSeed.PresenceAvailable, CurrentPresence(org, OmnichannelSeed.ReadyAgent));
            Assert.AreEqual(Sent, OptionValue(Call(org, start.CallId), "emc_notificationstatus"), "the email still goes out");
            AssertConfidential(org);
        }

        [TestMethod]
        public void Fault_NoDoNotDisturbPresence_CallStartsAndTheWarningIsOnTheCall()
        {
            var org = CreateOrganization();
            org.GetOrganizationService().Delete("msdyn_presence", OmnichannelSeed.PresenceDoNotDisturb);
            org.ClearRequestLog();

            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.RunPendingAsyncOperations();

            // Microsoft's out-of-box Busy DND cannot be deleted in a real org; if it is missing, the API answers 404.
            StringAssert.Contains(Call(org, start.CallId).GetAttributeValue<string>("emc_warnings"),
                "Presence could not be set to Do not disturb through CCaaS_ModifyAgentPresence");
            StringAssert.Contains(Call(org, start.CallId).GetAttributeValue<string>("emc_warnings"), "Resource not found");
            Assert.AreEqual(OmnichannelSeed.PresenceAvailable, CurrentPresence(org, OmnichannelSeed.ReadyAgent));
        }

        [TestMethod]
        public void Fault_AgentHasNoAgentStatusRow_CallStartsAndTheWarningIsOnTheCall()
        {
            var org = CreateOrganization(seed => seed.Agent(OmnichannelSeed.ReadyAgent).CurrentPresenceId = null);

            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.RunPendingAsyncOperations();

            Assert.IsNull(Call(org, start.CallId).GetAttributeValue<EntityReference>("emc_priorpresenceid"));
            StringAssert.Contains(Call(org, start.CallId).GetAttributeValue<string>("emc_warnings"), "the agent has no agent status (sign in to Omnichannel first)");
        }

        [TestMethod]
        public void Fault_PoolEmpty_CallStartsWithoutCallbackNumberAndWarns()
        {
            var org = CreateOrganization(seed => seed.RemoveCallbackNumbers("US"));

            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.RunPendingAsyncOperations();

            Assert.AreEqual(string.Empty, start.CallbackNumber);
            StringAssert.Contains(string.Join("|", start.Warnings), "no free number for US");
            var email = org.GetRecords("email").Single().GetAttributeValue<string>("description");
            StringAssert.Contains(email, "No number from the callback pool (see below)");
            StringAssert.Contains(email, "but no callback number could be leased");
            AssertConfidential(org);
        }

        [TestMethod]
        public void Fault_PoolCannotBeRead_CallStartsWithoutCallbackNumberAndWarns()
        {
            var org = CreateOrganization();
            org.FailWhen(r => r is RetrieveMultipleRequest q && q.Query is Microsoft.Xrm.Sdk.Query.QueryExpression e && e.EntityName == "emc_callbacknumber",
                new OrganizationServiceFault { ErrorCode = unchecked((int)0x80044150), Message = "Generic SQL error." });

            var start = Start(org, OmnichannelSeed.ReadyAgent);

            Assert.AreEqual(string.Empty, start.CallbackNumber);
            StringAssert.Contains(string.Join("|", start.Warnings), "No callback number was leased: the pool could not be read (Generic SQL error.).");
        }

        [TestMethod]
        public void Fault_PrerequisitesMissing_CallStartsAndTheWarningsNameThem()
        {
            var org = CreateOrganization();

            var start = Start(org, OmnichannelSeed.NoMailboxAgent, originNumberType: null);
            org.RunPendingAsyncOperations();

            var warnings = string.Join(Environment.NewLine, start.Warnings);
            StringAssert.Contains(warnings, "mailbox");
            Assert.AreEqual(warnings, Call(org, start.CallId).GetAttributeValue<string>("emc_warnings"));
            AssertConfidential(org);
        }

        [TestMethod]
        public void Fault_NotificationCallReadFails_RecordedAsNotificationFailure()
        {
            var org = CreateOrganization();
            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.FailWhen(r => r is RetrieveMultipleRequest read && read.Query is Microsoft.Xrm.Sdk.Query.QueryExpression q
                    && q.EntityName == "emc_emergencycall" && q.LinkEntities.Any(l => l.LinkToEntityName == "systemuser"),
                new OrganizationServiceFault { ErrorCode = unchecked((int)0x80044150), Message = "Generic SQL error." });

            org.RunPendingAsyncOperations();

            var call = Call(org, start.CallId);
            Assert.AreEqual(Failed, OptionValue(call, "emc_notificationstatus"));
            StringAssert.Contains(call.GetAttributeValue<string>("emc_notificationerror"), "Generic SQL error.");
            Assert.AreEqual(0, org.FailedAsyncOperations.Count);
        }

        [TestMethod]
        public void Fault_NotificationSettingsReadFails_SentWithTheShippedTemplateTitle()
        {
            var org = CreateOrganization();
            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.FailWhen(r => r is RetrieveMultipleRequest read && read.Query is Microsoft.Xrm.Sdk.Query.QueryExpression q
                    && q.EntityName == "environmentvariabledefinition",
                new OrganizationServiceFault { ErrorCode = unchecked((int)0x80044150), Message = "Generic SQL error." });

            org.RunPendingAsyncOperations();

            Assert.AreEqual(Sent, OptionValue(Call(org, start.CallId), "emc_notificationstatus"));
            Assert.AreEqual(1, org.GetRecords("email").Count);
        }

        [TestMethod]
        public void Fault_StartsSettingsReadFails_CallStartsWithTheShippedDefaultsAndAWarning()
        {
            var org = CreateOrganization();
            org.FailWhen(r => r is RetrieveMultipleRequest read && read.Query is Microsoft.Xrm.Sdk.Query.QueryExpression q
                    && q.EntityName == "environmentvariabledefinition",
                new TimeoutException("The request channel timed out."));

            var start = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: "DirectRouting");

            Assert.AreEqual("+12025550101", start.CallbackNumber);
            Assert.AreEqual(org.UtcNow.AddMinutes(60), start.CallbackExpiresOn, "the shipped 60-minute window");
            StringAssert.Contains(string.Join("|", start.Warnings), "The solution's settings could not be read (timed out: The request channel timed out.); the shipped defaults were used");
        }

        [TestMethod]
        public void Fault_AgentReadFails_CallStartsAndTheNotificationStepDecidesFromItsOwnRead()
        {
            var org = CreateOrganization();
            org.FailWhen(r => r is RetrieveMultipleRequest read && read.Query is Microsoft.Xrm.Sdk.Query.QueryExpression q
                    && q.EntityName == "systemuser",
                new InvalidOperationException("The underlying connection was closed unexpectedly."));

            var start = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: "DirectRouting");
            org.ClearFailures();
            org.RunPendingAsyncOperations();

            Assert.AreEqual("+12025550101", start.CallbackNumber);
            StringAssert.Contains(string.Join("|", start.Warnings), "The agent's settings could not be read (InvalidOperationException: The underlying connection was closed unexpectedly.)");
            Assert.AreEqual(Sent, OptionValue(Call(org, start.CallId), "emc_notificationstatus"), "queued, and the step found the recipients");
        }

        [TestMethod]
        public void Fault_CallCreateFails_StartFailsWholeAndTheRetryWithTheSameKeyMakesTheOneCall()
        {
            var org = CreateOrganization();
            var failed = false;
            org.FailWhen(r =>
            {
                if (failed || !(r is CreateRequest create && create.Target.LogicalName == "emc_emergencycall"))
                {
                    return false;
                }

                failed = true;
                return true;
            }, new OrganizationServiceFault { ErrorCode = unchecked((int)0x80044150), Message = "Generic SQL error." });
            var key = Guid.NewGuid();

            Assert.ThrowsExactly<System.ServiceModel.FaultException<OrganizationServiceFault>>(() =>
                Resilience.SingleFaultWalkTests.StartWithKey(org, OmnichannelSeed.ReadyAgent, key, null));
            Assert.AreEqual(0, org.GetRecords("emc_emergencycall").Count, "nothing half-written");
            Assert.IsTrue(org.GetRecords("emc_callbacknumber").All(n => n.GetAttributeValue<EntityReference>("emc_agentid")?.Id != OmnichannelSeed.ReadyAgent),
                "the claim was rolled back with the start");

            var retried = Resilience.SingleFaultWalkTests.StartWithKey(org, OmnichannelSeed.ReadyAgent, key, null);
            var again = Resilience.SingleFaultWalkTests.StartWithKey(org, OmnichannelSeed.ReadyAgent, key, null);

            Assert.AreEqual(key, (Guid)retried["EmergencyCallId"]);
            Assert.AreEqual(key, (Guid)again["EmergencyCallId"]);
            Assert.AreEqual(1, org.GetRecords("emc_emergencycall").Count);
        }

        [TestMethod]
        public void Fault_InstantiateTemplateFails_SentWithTheBuiltInTextAndTheReasonRecorded()
        {
            var org = CreateOrganization();
            org.FailMessage("InstantiateTemplate", unchecked((int)0x80040220), "The user does not have read access to the template.");

            var start = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: "DirectRouting");
            org.RunPendingAsyncOperations();

            var call = Call(org, start.CallId);
            Assert.AreEqual(Sent, OptionValue(call, "emc_notificationstatus"), "the recipients still hear of the call");
            StringAssert.Contains(call.GetAttributeValue<string>("emc_notificationerror"),
                "Sent with the built-in text: the email template \"Emergency Call Notification Template\" could not be rendered (The user does not have read access to the template.).");
            var email = org.GetRecords("email").Single();
            Assert.AreEqual("Emergency call: Avery Ready dialed 911 in United States", email.GetAttributeValue<string>("subject"));
            StringAssert.Contains(email.GetAttributeValue<string>("description"), "<tr><td>Callback number</td><td>+12025550101</td></tr>");
        }
    }
}
