using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EmergencySolution.CallbackRouter.Tests.Fakes;

namespace EmergencySolution.CallbackRouter.Tests;

/// <summary>How the router signs in to Entra ID, and that it refuses to start on settings that would fail a callback.</summary>
[TestClass]
public sealed class StartupAndCredentialTests
{
    private const string LeasedNumber = "+13125550177";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ClientSecret_SentAsClientCredentials()
    {
        await using var router = await StartWithLeaseAsync(null);

        var outcome = await router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));

        IncomingCallRoutingTests.AssertOutcome(outcome, "RedirectedToAgent", "None");
        var token = router.Dataverse.TokenRequests.Single().BodyText;
        StringAssert.Contains(token, "client_id=11111111-2222-3333-4444-555555555555");
        StringAssert.Contains(token, "client_secret=test-secret-not-real");
    }

    [TestMethod]
    public async Task ClientCertificate_SignsAClientAssertion_AndSendsNoSecret()
    {
        var pfx = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), "router-" + Guid.NewGuid().ToString("N") + ".pfx");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=emergency-callback-router-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        }

        try
        {
            await using var router = await StartWithLeaseAsync(s =>
            {
                s["CallbackRouter:Dataverse:ClientSecret"] = string.Empty;
                s["CallbackRouter:Dataverse:ClientCertificatePath"] = pfx;
                s["CallbackRouter:Dataverse:ClientCertificatePassword"] = "pfx-password";
            });

            var outcome = await router.PostForOutcomeAsync(Events.IncomingCall(LeasedNumber));

            IncomingCallRoutingTests.AssertOutcome(outcome, "RedirectedToAgent", "None");
            var token = router.Dataverse.TokenRequests.Single().BodyText;
            StringAssert.Contains(token, "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer");
            StringAssert.Contains(token, "client_assertion=");
            Assert.IsFalse(token.Contains("client_secret", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [TestMethod]
    public async Task WrongCertificatePassword_RouterRefusesToStart_NamingTheSetting()
    {
        var pfx = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), "router-" + Guid.NewGuid().ToString("N") + ".pfx");
        using (var key = RSA.Create(2048))
        {
            using var certificate = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "right"));
        }

        try
        {
            var failure = await StartFailureAsync(s =>
            {
                s["CallbackRouter:Dataverse:ClientSecret"] = string.Empty;
                s["CallbackRouter:Dataverse:ClientCertificatePath"] = pfx;
                s["CallbackRouter:Dataverse:ClientCertificatePassword"] = "wrong";
            });

            StringAssert.Contains(failure, "CallbackRouter:Dataverse:ClientCertificatePath");
            Assert.IsFalse(failure.Contains("wrong", StringComparison.Ordinal), "the password was echoed");
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [TestMethod]
    public async Task MissingFallback_RouterRefusesToStart_NamingTheSetting()
    {
        var failure = await StartFailureAsync(s => s["CallbackRouter:Routing:FallbackTarget"] = string.Empty);

        StringAssert.Contains(failure, "CallbackRouter:Routing:FallbackTarget");
        StringAssert.Contains(failure, "supervisor");
    }

    private static async Task<RouterHarness> StartWithLeaseAsync(Action<Dictionary<string, string?>>? settings)
    {
        var router = await RouterHarness.StartAsync(settings);
        var agentId = Guid.NewGuid();
        router.Dataverse.Lease(LeasedNumber, agentId, Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(5));
        router.Dataverse.User(agentId, Guid.NewGuid());
        return router;
    }

    [TestMethod]
    public async Task ValidSettingsFromTheEnvironment_RouterRuns_AndAnswersHealthzAndTheHandshake()
    {
        await using var dataverse = await FakeDataverse.StartAsync();
        await using var acs = await FakeAcs.StartAsync(RouterSettings.AccessKey);
        using var router = RouterProcess.Start(RouterSettings.For(dataverse, acs));
        using var client = new HttpClient { BaseAddress = await router.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)) };

        Assert.AreEqual("Healthy", await client.GetStringAsync("/healthz"));
        using var handshake = await client.PostAsync("/api/incoming-call", new StringContent(Events.SubscriptionValidation("code-from-process"), System.Text.Encoding.UTF8, "application/json"));
        StringAssert.Contains(await handshake.Content.ReadAsStringAsync(), "code-from-process");
        StringAssert.Contains(router.StandardOutput, "PoolNumbers is empty", "the start-up warning about an unfiltered router");
        StringAssert.Contains(router.StandardOutput, "SharedSecret is empty", "the start-up warning about an open webhook");
    }

    private static async Task<string> StartFailureAsync(Action<Dictionary<string, string?>> settings)
    {
        await using var dataverse = await FakeDataverse.StartAsync();
        await using var acs = await FakeAcs.StartAsync(RouterSettings.AccessKey);
        var values = RouterSettings.For(dataverse, acs);
        settings(values);
        using var router = RouterProcess.Start(values);

        var exitCode = await router.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.AreEqual(2, exitCode, router.StandardError);
        StringAssert.Contains(router.StandardError, "The callback router did not start. Fix these settings");
        Assert.IsFalse(router.StandardError.Contains("   at ", StringComparison.Ordinal), "a stack trace instead of the list:\n" + router.StandardError);
        return router.StandardError;
    }
}
