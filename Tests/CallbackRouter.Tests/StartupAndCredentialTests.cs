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
        var settings = RouterSettings.For(dataverse, acs);
        RouterSettings.WithWebhookSecret(settings);
        using var router = RouterProcess.Start(settings);
        using var client = new HttpClient { BaseAddress = await router.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)) };

        Assert.AreEqual("Healthy", await client.GetStringAsync("/healthz"));
        using var handshake = new HttpRequestMessage(HttpMethod.Post, "/api/incoming-call") { Content = new StringContent(Events.SubscriptionValidation("code-from-process"), System.Text.Encoding.UTF8, "application/json") };
        handshake.Headers.Add("X-Callback-Router-Secret", RouterSettings.WebhookSecret);
        using var answer = await client.SendAsync(handshake);
        using var withoutSecret = await client.PostAsync("/api/incoming-call", new StringContent(Events.SubscriptionValidation("code-from-process"), System.Text.Encoding.UTF8, "application/json"));

        StringAssert.Contains(await answer.Content.ReadAsStringAsync(), "code-from-process");
        Assert.AreEqual(System.Net.HttpStatusCode.Unauthorized, withoutSecret.StatusCode);
        StringAssert.Contains(router.StandardOutput, "PoolNumbers is empty", "the start-up warning about an unfiltered router");
        Assert.IsFalse(router.StandardOutput.Contains("The webhook has no authentication", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task ProductionWithoutWebhookAuthentication_RouterRefusesToStart_NamingTheSettings()
    {
        var failure = await StartFailureAsync(_ => { });

        StringAssert.Contains(failure, "CallbackRouter:Webhook has no authentication, and this is Production");
        StringAssert.Contains(failure, "CallbackRouter:Webhook:EntraId:TenantId");
        StringAssert.Contains(failure, "CallbackRouter:Webhook:SharedSecret");
    }

    [TestMethod]
    public async Task EntraIdOnly_RouterRunsInProduction_AndTheHandshakeNeedsAValidToken()
    {
        await using var tenant = await FakeEntraIdIssuer.StartAsync();
        await using var dataverse = await FakeDataverse.StartAsync();
        await using var acs = await FakeAcs.StartAsync(RouterSettings.AccessKey);
        var settings = RouterSettings.For(dataverse, acs);
        tenant.Configure(settings);
        using var router = RouterProcess.Start(settings);
        using var client = new HttpClient { BaseAddress = await router.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)) };

        using var withToken = new HttpRequestMessage(HttpMethod.Post, "/api/incoming-call") { Content = new StringContent(Events.SubscriptionValidation("entra-from-process"), System.Text.Encoding.UTF8, "application/json") };
        withToken.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tenant.Token());
        using var answer = await client.SendAsync(withToken);
        using var withExpiredToken = new HttpRequestMessage(HttpMethod.Post, "/api/incoming-call") { Content = new StringContent(Events.SubscriptionValidation("entra-from-process"), System.Text.Encoding.UTF8, "application/json") };
        withExpiredToken.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tenant.Token(expires: DateTime.UtcNow.AddHours(-1)));
        using var refused = await client.SendAsync(withExpiredToken);

        Assert.AreEqual(System.Net.HttpStatusCode.OK, answer.StatusCode, await answer.Content.ReadAsStringAsync());
        StringAssert.Contains(await answer.Content.ReadAsStringAsync(), "entra-from-process");
        Assert.AreEqual(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    /// <summary>Starts the router process (Production) on settings that are valid but for what <paramref name="settings"/> changes, and expects exit code 2.</summary>
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
