using System.ServiceModel;
using EmergencySolution.Tests.Lifecycle;
using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Resilience
{
    /// <summary>
    /// History is suppressed on every write path: Create, Update and Upsert of phonecall, msdyn_transcript and
    /// msdyn_ocrecording, and every dialed form carriers and people write ("+1 911", "1-911", "911#"), while "1911" and
    /// "9112" stay ordinary numbers.
    /// </summary>
    [TestClass]
    public sealed class HistoryOnEveryWritePathTests : LifecycleTestBase
    {
        private static readonly Guid EmergencyConversation = new Guid("e1000000-0000-4000-8000-000000000001");

        [TestMethod]
        [DataRow("+1 911")]
        [DataRow("1-911")]
        [DataRow("1 (911)")]
        [DataRow("911#")]
        [DataRow("+1911")]
        [DataRow("+44 999")]
        [DataRow("+45 112")]
        public void Guard_DialedFormsOfAnEmergencyNumber_RefusedOnCreate(string dialed)
        {
            var org = CreateOrganization();

            StringAssert.Contains(Fails(() => ActAs.Agent(org, OmnichannelSeed.ReadyAgent).Create(PhoneCall(dialed))), "its phone number is an emergency number");
            Assert.AreEqual(0, org.GetRecords("phonecall").Count);
        }

        [TestMethod]
        [DataRow("1911")]
        [DataRow("9112")]
        [DataRow("+1 312 555 0142")]
        public void Guard_NumbersThatOnlyLookLikeOne_AreOrdinaryHistory(string dialed)
        {
            var org = CreateOrganization();

            ActAs.Agent(org, OmnichannelSeed.ReadyAgent).Create(PhoneCall(dialed));

            Assert.AreEqual(1, org.GetRecords("phonecall").Count);
        }

        [TestMethod]
        public void Guard_PhoneCallSavedBlankThenUpdatedToTheEmergencyNumber_UpdateRefused()
        {
            var org = CreateOrganization();
            var agent = ActAs.Agent(org, OmnichannelSeed.ReadyAgent);
            var id = agent.Create(PhoneCall(null));

            var message = Fails(() => agent.Update(new Entity("phonecall", id) { ["phonenumber"] = "+1 911" }));

            StringAssert.Contains(message, "its phone number is an emergency number");
            Assert.IsNull(org.GetRecord("phonecall", id)!.GetAttributeValue<string>("phonenumber"), "nothing of the call was stored");
        }

        [TestMethod]
        public void Guard_PhoneCallUpdatedToAnEmergencyConversation_UpdateRefused()
        {
            var org = CreateOrganization();
            Start(org, OmnichannelSeed.ReadyAgent, conversationId: EmergencyConversation);
            var agent = ActAs.Agent(org, OmnichannelSeed.ReadyAgent);
            var id = agent.Create(PhoneCall(null));

            var message = Fails(() => agent.Update(new Entity("phonecall", id)
            {
                ["regardingobjectid"] = new EntityReference("msdyn_ocliveworkitem", EmergencyConversation),
            }));

            StringAssert.Contains(message, "it belongs to an emergency conversation");
        }

        [TestMethod]
        public void Guard_UpsertOfANewAndOfAnExistingPhoneCall_BothRefused()
        {
            var org = CreateOrganization();
            var agent = ActAs.Agent(org, OmnichannelSeed.ReadyAgent);
            var existing = agent.Create(PhoneCall(null));

            StringAssert.Contains(Fails(() => agent.Execute(new UpsertRequest { Target = PhoneCall("1-911", Guid.NewGuid()) })), "emergency number");
            StringAssert.Contains(Fails(() => agent.Execute(new UpsertRequest { Target = PhoneCall("911#", existing) })), "emergency number");
            Assert.AreEqual(1, org.GetRecords("phonecall").Count);
            Assert.IsNull(org.GetRecord("phonecall", existing)!.GetAttributeValue<string>("phonenumber"));
        }

        [TestMethod]
        public void Guard_TranscriptAndRecordingUpdatedOrUpsertedIntoAnEmergencyConversation_Refused()
        {
            var org = CreateOrganization();
            Start(org, OmnichannelSeed.ReadyAgent, conversationId: EmergencyConversation);
            // Contact Center writes transcripts and recordings with its own service identity.
            var system = ActAs.ContactCenterService(org);
            var transcript = system.Create(new Entity("msdyn_transcript"));
            var recording = system.Create(new Entity("msdyn_ocrecording"));
            var emergency = new EntityReference("msdyn_ocliveworkitem", EmergencyConversation);

            StringAssert.Contains(Fails(() => system.Update(new Entity("msdyn_transcript", transcript) { ["msdyn_liveworkitemidid"] = emergency })),
                "emergency conversation");
            StringAssert.Contains(Fails(() => system.Update(new Entity("msdyn_ocrecording", recording) { ["msdyn_liveworkitemid"] = emergency })),
                "emergency conversation");
            StringAssert.Contains(Fails(() => system.Execute(new UpsertRequest
            {
                Target = new Entity("msdyn_transcript", Guid.NewGuid()) { ["msdyn_liveworkitemidid"] = emergency },
            })), "emergency conversation");
            StringAssert.Contains(Fails(() => system.Execute(new UpsertRequest
            {
                Target = new Entity("msdyn_ocrecording", recording) { ["msdyn_liveworkitemid"] = emergency },
            })), "emergency conversation");
        }

        [TestMethod]
        public void Resolve_DeactivatedPoolNumberWithALiveLease_NotMatched()
        {
            var org = CreateOrganization();
            var start = Start(org, OmnichannelSeed.ReadyAgent, originNumberType: "DirectRouting");
            ActAs.Administrator(org).Update(new Entity("emc_callbacknumber", OmnichannelSeed.CallbackUs1) { ["statecode"] = new OptionSetValue(1) });

            Assert.AreEqual("+12025550101", start.CallbackNumber);
            Assert.IsFalse((bool)Resolve(org, "+12025550101")["Matched"], "a deactivated number is not matched, so no callback is routed on it");
        }

        private static Entity PhoneCall(string? number, Guid? id = null, bool incoming = false)
        {
            var call = id.HasValue ? new Entity("phonecall", id.Value) : new Entity("phonecall");
            call["subject"] = "Call";
            call["directioncode"] = !incoming;
            if (number != null)
            {
                call["phonenumber"] = number;
            }

            return call;
        }

        private static string Fails(Action write)
        {
            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(write);
            return fault.Detail.Message;
        }
    }
}
