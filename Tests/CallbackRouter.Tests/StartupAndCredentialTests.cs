using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EmergencySolution.CallbackRouter.Tests.Fakes;
using Microsoft.Extensions.Options;

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

    private static async Task<string> StartFailureAsync(Action<Dictionary<string, string?>> settings)
    {
        RouterHarness? router = null;
        try
        {
            router = await RouterHarness.StartAsync(settings);
            Assert.Fail("the router started with settings it should refuse");
            return string.Empty;
        }
        catch (OptionsValidationException exception)
        {
            return exception.Message;
        }
        finally
        {
            if (router is not null)
            {
                await router.DisposeAsync();
            }
        }
    }
}
