// The sample of docs/developer.md, "How to write a test". DocsTests checks that the code block there equals the
// region between the two "docs/developer.md sample" markers below, so the guide shows a test that compiles and passes.

// docs/developer.md sample: begin
using EmergencySolution.CustomApis;
using EmergencySolution.Plugins;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Docs;

[TestClass]
public sealed class HowToWriteATestSample
{
    private static readonly Guid AgentId = new("a4000000-0000-4000-8000-0000000000d1");
    private static readonly Guid NumberId = new("c1000000-0000-4000-8000-0000000000d1");

    [TestMethod]
    public void StartEmergencyCall_AgentWithRecipients_LeasesANumberAndSendsOneEmail()
    {
        // 1. Wire the solution's own registrations and tables (SolutionPackage/src, alternate keys included) and both plugin assemblies.
        var org = new InMemoryOrganization();
        org.LoadSolution(SolutionUnderTest.SolutionSourceFolder,
            typeof(NotificationRecipientsPlugin).Assembly, typeof(StartEmergencyCallApi).Assembly);

        // 2. Seed rows (no pipeline, not logged) with stable ids.
        org.Initialize(
            new Entity("systemuser", AgentId) { ["fullname"] = "Avery Ready", ["msdyn_emergencyemailrecipients"] = "ops@contoso.com" },
            new Entity("emc_callbacknumber", NumberId)
            {
                ["emc_number"] = "+12025550100", ["emc_countrycode"] = "US", ["statecode"] = new OptionSetValue(0), // active, as Dataverse stores it
            });
        org.AssignRole(AgentId, "Emergency Calling Agent");
        org.EnforceTablePrivileges = true; // Dataverse checks every caller but SYSTEM; SolutionUnderTest turns this on for you
        org.ClearRequestLog();

        // 3. Execute a message as a given user.
        var response = org.CreateOrganizationService(AgentId).Execute(new OrganizationRequest("emc_StartEmergencyCall")
        {
            ["DialedNumber"] = "911",
            ["CountryCode"] = "US",
            ["OriginNumberType"] = "DirectRouting", // the path where the solution leases a pool number
        });
        var callId = (Guid)response["EmergencyCallId"];
        Assert.AreEqual("+12025550100", (string)response["CallbackNumber"]);
        Assert.IsTrue(org.CountRoundTrips("EmergencySolution.CustomApis.StartEmergencyCallApi") <= 9, "Start's request budget");

        // 4. Asynchronous steps (the presence and notification follow-ups) are queued at commit: run them.
        Assert.AreEqual(0, org.CountRequests("SendEmail"), "nothing is sent before the async steps run");
        org.RunPendingAsyncOperations();
        Assert.AreEqual(0, org.FailedAsyncOperations.Count);

        // 5. Assert on the store, the request log and the traces.
        Assert.AreEqual(callId, org.GetRecord("emc_callbacknumber", NumberId)!.GetAttributeValue<EntityReference>("emc_emergencycallid").Id);
        Assert.AreEqual(1, org.CountRequests("SendEmail"));
        Assert.IsFalse(org.RequestLog.Any(r => r.EntityName == "phonecall"), "no call history");
        Assert.IsFalse(org.Traces.Any(t => t.Contains("2025550100")), "no phone number in a trace");
    }
}
// docs/developer.md sample: end
