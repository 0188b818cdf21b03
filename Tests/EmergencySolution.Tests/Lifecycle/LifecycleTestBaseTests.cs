using EmergencySolution.Tests.Support;
using InMemoryDataverse;
using Microsoft.Xrm.Sdk;
using static EmergencySolution.Tests.Lifecycle.LifecycleKit;

namespace EmergencySolution.Tests.Lifecycle
{
    /// <summary>
    /// The end-of-test confidentiality check of <see cref="LifecycleTestBase"/> catches what it promises to. The rows are
    /// seeded past the pipeline (the guards would refuse them), on organizations the base does not track.
    /// </summary>
    [TestClass]
    public sealed class LifecycleTestBaseTests
    {
        private static readonly Guid Conversation = new Guid("b1000000-0000-4000-8000-0000000000d1");

        [TestMethod]
        public void ConfidentialityCheck_PhoneCallToAnEmergencyNumber_Fails()
        {
            var org = SolutionUnderTest.Create(seed => seed.Add(PhoneCall("9-1-1")));

            Assert.ThrowsExactly<AssertFailedException>(() => LifecycleTestBase.AssertNoCallHistoryForEmergencyCalls(org));
        }

        [TestMethod]
        public void ConfidentialityCheck_PhoneCallToALiveLeasedCallbackNumber_Fails()
        {
            var org = SolutionUnderTest.Create();
            var start = Start(org, OmnichannelSeed.ReadyAgent);
            org.Initialize(new[] { PhoneCall(start.CallbackNumber) });

            Assert.ThrowsExactly<AssertFailedException>(() => LifecycleTestBase.AssertNoCallHistoryForEmergencyCalls(org));
        }

        [TestMethod]
        public void ConfidentialityCheck_TranscriptOfAnEmergencyConversation_Fails()
        {
            var org = SolutionUnderTest.Create();
            Start(org, OmnichannelSeed.ReadyAgent, conversationId: Conversation);
            org.Initialize(new[]
            {
                new Entity("msdyn_transcript", new Guid("b7000000-0000-4000-8000-000000000002"))
                {
                    ["msdyn_liveworkitemidid"] = new EntityReference("msdyn_ocliveworkitem", Conversation),
                },
            });

            Assert.ThrowsExactly<AssertFailedException>(() => LifecycleTestBase.AssertNoCallHistoryForEmergencyCalls(org));
        }

        [TestMethod]
        public void ConfidentialityCheck_OrdinaryCustomerCall_Passes()
        {
            var org = SolutionUnderTest.Create(seed => seed.Add(PhoneCall("+1 425 555 0100")));
            Start(org, OmnichannelSeed.ReadyAgent);

            LifecycleTestBase.AssertNoCallHistoryForEmergencyCalls(org);
        }

        [TestMethod]
        public void TraceCheck_NumberWrittenWithSeparators_IsFound()
        {
            var numbers = new[] { "12025550199" };

            Assert.IsTrue(LifecycleKit.RevealsNumber("callback to +1 (202) 555-0199", numbers));
            Assert.IsTrue(LifecycleKit.RevealsNumber("line 555 0199 leased", numbers), "the subscriber part alone identifies the line");
        }

        [TestMethod]
        public void TraceCheck_DigitsInsideAnId_AreNotANumber()
        {
            var numbers = new[] { "12025550199" };

            // Both ids hold the run 5550199 among their hex digits; neither is a phone number.
            Assert.IsFalse(LifecycleKit.RevealsNumber("call 35550199-0000-4000-8000-000000000001 started", numbers));
            Assert.IsFalse(LifecycleKit.RevealsNumber("correlation a5550199b0004000800000000000000f", numbers));
        }

        private static Entity PhoneCall(string number) => new Entity("phonecall", new Guid("b7000000-0000-4000-8000-000000000001"))
        {
            ["subject"] = "Call",
            ["phonenumber"] = number,
        };
    }
}
