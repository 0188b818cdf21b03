using EmergencySolution.CallbackRouter.Configuration;
using EmergencySolution.CallbackRouter.Routing;
using EmergencySolution.CallbackRouter.Tests.Fakes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EmergencySolution.CallbackRouter.Tests;

[TestClass]
public sealed class CommunicationTargetTests
{
    [TestMethod]
    [DataRow("4:+14255550100", "phoneNumber", "4:+14255550100")]
    [DataRow("+14255550100", "phoneNumber", "4:+14255550100")]
    [DataRow("8:acs:abc_def", "communicationUser", "8:acs:abc_def")]
    [DataRow("8:orgid:0b7ec7a1-0000-4000-8000-0000000000a1", "microsoftTeamsUser", "8:orgid:0b7ec7a1-0000-4000-8000-0000000000a1")]
    [DataRow("8:gcch:0b7ec7a1-0000-4000-8000-0000000000a1", "microsoftTeamsUser", "8:gcch:0b7ec7a1-0000-4000-8000-0000000000a1")]
    public void TryParse_KnownKinds(string raw, string kind, string rawId)
    {
        var target = CommunicationTarget.TryParse(raw, out var problem);

        Assert.IsNotNull(target, problem);
        Assert.AreEqual(kind, target.Kind);
        Assert.AreEqual(rawId, target.ToJson()["rawId"]!.GetValue<string>());
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    [DataRow("4:14255550100")]
    [DataRow("+1425555010012345678")]
    [DataRow("8:acs:")]
    [DataRow("8:orgid:not-a-guid")]
    [DataRow("8:teamsvisitor:x")]
    [DataRow("supervisor@contoso.com")]
    public void TryParse_Unusable_SaysWhy(string raw)
    {
        Assert.IsNull(CommunicationTarget.TryParse(raw, out var problem));
        Assert.IsFalse(string.IsNullOrEmpty(problem));
    }

    [TestMethod]
    public void Describe_NeverShowsAPhoneNumber()
    {
        Assert.AreEqual("phoneNumber", CommunicationTarget.PhoneNumber("+14255550100").Describe());
        StringAssert.Contains(CommunicationTarget.TryParse("8:acs:desk", out _)!.Describe(), "8:acs:desk");
    }
}

[TestClass]
public sealed class IncomingCallLedgerTests
{
    [TestMethod]
    public void TryBegin_FirstOwns_LaterAreDuplicates_UntilTheWindowEnds()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var ledger = new IncomingCallLedger(clock, Options.Create(new CallbackRouterOptions { Routing = { IdempotencyWindow = TimeSpan.FromMinutes(15) } }));

        Assert.IsTrue(ledger.TryBegin("c1"));
        Assert.IsFalse(ledger.TryBegin("c1"));
        ledger.Complete("c1");
        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.IsFalse(ledger.TryBegin("c1"));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.IsTrue(ledger.TryBegin("c1"), "remembered for the window only");
    }

    [TestMethod]
    public void Forget_LetsARedeliveryTryAgain()
    {
        var ledger = new IncomingCallLedger(new FakeTimeProvider(), Options.Create(new CallbackRouterOptions()));

        Assert.IsTrue(ledger.TryBegin("c2"));
        ledger.Forget("c2");

        Assert.IsTrue(ledger.TryBegin("c2"));
    }

    [TestMethod]
    public void TryBegin_ExpiredEntriesAreSwept()
    {
        var clock = new FakeTimeProvider();
        var ledger = new IncomingCallLedger(clock, Options.Create(new CallbackRouterOptions { Routing = { IdempotencyWindow = TimeSpan.FromSeconds(1) } }));
        for (var index = 0; index < 300; index++)
        {
            ledger.TryBegin("old-" + index);
        }

        clock.Advance(TimeSpan.FromSeconds(2));
        for (var index = 0; index < 300; index++)
        {
            ledger.TryBegin("new-" + index);
        }

        Assert.IsTrue(ledger.Count < 600, $"expired entries stay: {ledger.Count}");
    }
}

[TestClass]
public sealed class OptionsValidatorTests
{
    [TestMethod]
    public void Validate_CompleteOptions_Succeed()
    {
        Assert.IsTrue(Validator().Validate(null, ValidOptions()).Succeeded);
    }

    [TestMethod]
    public void Validate_EveryProblemIsNamed_AndSecretsAreNotEchoed()
    {
        var options = ValidOptions();
        options.Dataverse.Url = "contoso.crm.dynamics.com";
        options.Dataverse.ClientSecret = string.Empty;
        options.Acs.AccessKey = "not base64 but a secret!";
        options.Routing.FallbackTarget = "+1425555";
        options.Routing.FallbackTarget = "security-desk";
        options.Routing.PoolNumbers.Add("call me maybe");
        options.Routing.AgentTargets["not-a-guid"] = "8:acs:x";
        options.Routing.LookupDeadline = TimeSpan.Zero;

        var result = Validator().Validate(null, options);

        Assert.IsTrue(result.Failed);
        var text = string.Join("\n", result.Failures);
        StringAssert.Contains(text, "CallbackRouter:Dataverse:Url 'contoso.crm.dynamics.com' is not an absolute https URL");
        StringAssert.Contains(text, "CallbackRouter:Dataverse:ClientSecret is empty; set it from the environment (CallbackRouter__Dataverse__ClientSecret)");
        StringAssert.Contains(text, "CallbackRouter:Acs:AccessKey is not base64");
        StringAssert.Contains(text, "CallbackRouter:Routing:FallbackTarget 'security-desk' is not usable");
        StringAssert.Contains(text, "CallbackRouter:Routing:PoolNumbers:0 (a number without digits) is not an E.164 number");
        StringAssert.Contains(text, "CallbackRouter:Routing:AgentTargets key 'not-a-guid' is not a systemuser id");
        StringAssert.Contains(text, "CallbackRouter:Routing:LookupDeadline");
        Assert.IsFalse(text.Contains("not base64 but a secret!", StringComparison.Ordinal), "the access key was echoed");
    }

    [TestMethod]
    public void Validate_PhoneNumberFallback_IsDescribedNotEchoed()
    {
        var options = ValidOptions();
        options.Routing.FallbackTarget = "+1425555010012345678";

        var text = string.Join("\n", Validator().Validate(null, options).Failures!);

        StringAssert.Contains(text, "a 19-digit number");
        Assert.IsFalse(text.Contains("1425555010012345678", StringComparison.Ordinal));
    }

    [TestMethod]
    public void Validate_ProductionWithoutWebhookAuthentication_Fails_NamingBothWays()
    {
        var options = ValidOptions();
        options.Webhook.SharedSecret = string.Empty;

        var text = string.Join("\n", Validator("Production").Validate(null, options).Failures!);

        StringAssert.Contains(text, "CallbackRouter:Webhook has no authentication, and this is Production");
        StringAssert.Contains(text, "CallbackRouter:Webhook:EntraId:TenantId");
        StringAssert.Contains(text, "CallbackRouter:Webhook:SharedSecret");
    }

    [TestMethod]
    [DataRow("Development")]
    [DataRow("Staging")]
    public void Validate_OutsideProductionWithoutWebhookAuthentication_Succeeds(string environment)
    {
        var options = ValidOptions();
        options.Webhook.SharedSecret = string.Empty;

        Assert.IsTrue(Validator(environment).Validate(null, options).Succeeded);
    }

    [TestMethod]
    public void Validate_EntraIdOnly_IsAuthenticationEnough()
    {
        var options = ValidOptions();
        options.Webhook.SharedSecret = string.Empty;
        options.Webhook.EntraId.TenantId = "72f988bf-0000-4000-8000-00000000e17a";
        options.Webhook.EntraId.ApplicationId = "e1d0b00c-0000-4000-8000-0000000000e6";

        var result = Validator("Production").Validate(null, options);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Failures ?? Array.Empty<string>()));
    }

    [TestMethod]
    public void Validate_WebhookSettings_EveryProblemNamed_AndTheSecretNotEchoed()
    {
        var options = ValidOptions();
        options.Webhook.SharedSecret = "short-secret!";
        options.Webhook.NextSharedSecret = "next secret with spaces, long enough to pass the length rule";
        options.Webhook.SharedSecretHeader = "Authorization";
        options.Webhook.MaxEventsPerDelivery = 0;
        options.Webhook.EntraId.TenantId = "contoso.onmicrosoft.com";
        options.Webhook.EntraId.ApplicationId = "router-app";
        options.Webhook.EntraId.ApplicationIdUri = "not a uri";
        options.Webhook.EntraId.Instance = "http://login.example.test";
        options.Webhook.EntraId.AllowedClientApplicationIds.Add("event-grid");

        var text = string.Join("\n", Validator("Production").Validate(null, options).Failures!);

        StringAssert.Contains(text, "CallbackRouter:Webhook:SharedSecret is 13 characters long; use 32 to 4096");
        StringAssert.Contains(text, "CallbackRouter:Webhook:NextSharedSecret holds characters that are not printable ASCII");
        StringAssert.Contains(text, "CallbackRouter:Webhook:SharedSecretHeader is Authorization");
        StringAssert.Contains(text, "CallbackRouter:Webhook:MaxEventsPerDelivery '0' is outside 1–5000");
        StringAssert.Contains(text, "CallbackRouter:Webhook:EntraId:TenantId 'contoso.onmicrosoft.com' is not a tenant id (a GUID)");
        StringAssert.Contains(text, "CallbackRouter:Webhook:EntraId:ApplicationId 'router-app' is not an application (client) id");
        StringAssert.Contains(text, "CallbackRouter:Webhook:EntraId:ApplicationIdUri 'not a uri' is not an absolute URI");
        StringAssert.Contains(text, "CallbackRouter:Webhook:EntraId:Instance 'http://login.example.test' is not an absolute https URL");
        StringAssert.Contains(text, "CallbackRouter:Webhook:EntraId:AllowedClientApplicationIds:0 'event-grid' is not an application id (a GUID)");
        Assert.IsFalse(text.Contains("short-secret!", StringComparison.Ordinal), "the secret was echoed");
        Assert.IsFalse(text.Contains("spaces, long enough", StringComparison.Ordinal), "the next secret was echoed");
    }

    internal static CallbackRouterOptionsValidator Validator(string environment = "Production") =>
        new(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment });

    internal static CallbackRouterOptions ValidOptions() => new()
    {
        Dataverse = { Url = "https://contoso.crm.dynamics.com", TenantId = "contoso.onmicrosoft.com", ClientId = "11111111-2222-3333-4444-555555555555", ClientSecret = "x" },
        Acs = { Endpoint = "https://contoso.communication.azure.com", AccessKey = "cHc=" },
        Routing = { FallbackTarget = "8:acs:desk" },
        Webhook = { SharedSecret = RouterSettings.WebhookSecret },
    };
}
