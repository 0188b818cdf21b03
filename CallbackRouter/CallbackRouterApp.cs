using EmergencySolution.CallbackRouter.Acs;
using EmergencySolution.CallbackRouter.Configuration;
using EmergencySolution.CallbackRouter.Dataverse;
using EmergencySolution.CallbackRouter.Reliability;
using EmergencySolution.CallbackRouter.Routing;
using EmergencySolution.CallbackRouter.Webhook;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Polly;

namespace EmergencySolution.CallbackRouter;

/// <summary>Composes the router: options, the three HttpClients (entra, dataverse, acs), routing, and the endpoints.</summary>
public static class CallbackRouterApp
{
    /// <param name="args">Command-line arguments (configuration overrides such as --urls).</param>
    /// <param name="configure">Lets the load run and tests change the builder (configuration, services) before it is built.</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        AddCallbackRouter(builder.Services, builder.Configuration);
        configure?.Invoke(builder);
        var app = builder.Build();
        MapCallbackRouter(app);
        return app;
    }

    public static void AddCallbackRouter(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CallbackRouterOptions>()
            .Bind(configuration.GetSection(CallbackRouterOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallbackRouterOptions>, CallbackRouterOptionsValidator>();

        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddHealthChecks();
        services.AddSingleton<RouterMetrics>();
        services.AddSingleton<IncomingCallLedger>();

        services.AddHttpClient(EntraHttpClientFactory.ClientName);
        services.AddHttpClient(DataverseWebApiClient.ClientName, (provider, client) =>
        {
            var dataverse = provider.GetRequiredService<IOptions<CallbackRouterOptions>>().Value.Dataverse;
            client.BaseAddress = new Uri(dataverse.Url.TrimEnd('/') + "/api/data/v9.2/");
            client.DefaultRequestHeaders.Add("OData-MaxVersion", "4.0");
            client.DefaultRequestHeaders.Add("OData-Version", "4.0");
            client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        });
        services.AddHttpClient(CallAutomationClient.ClientName, (provider, client) =>
        {
            var acs = provider.GetRequiredService<IOptions<CallbackRouterOptions>>().Value.Acs;
            client.BaseAddress = new Uri(acs.Endpoint.TrimEnd('/') + "/");
            client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        }).AddHttpMessageHandler(provider => new AcsSigningHandler(
            new AcsRequestSigner(provider.GetRequiredService<IOptions<CallbackRouterOptions>>().Value.Acs.AccessKey),
            provider.GetRequiredService<TimeProvider>()));

        services.AddSingleton<IMsalHttpClientFactory, EntraHttpClientFactory>();
        services.AddSingleton<DataverseTokenSource>();
        services.AddSingleton(provider => new DataverseWebApiClient(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<DataverseTokenSource>(),
            CreateRetry(provider, "Dataverse")));
        services.AddSingleton(provider => new CallAutomationClient(
            provider.GetRequiredService<IHttpClientFactory>(),
            CreateRetry(provider, "ACS"),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<CallbackRouterOptions>>()));
        services.AddSingleton<AgentTargetResolver>();
        services.AddSingleton<CallbackRoutingService>();
        services.AddSingleton<AcceptedCalls>();
        services.AddHostedService(provider => provider.GetRequiredService<AcceptedCalls>());
        services.AddSingleton<IncomingCallWebhook>();
        WebhookAuthentication.AddWebhookAuthentication(services);
    }

    public static void MapCallbackRouter(WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments(IncomingCallWebhook.Path), webhook => webhook.Use(IncomingCallWebhook.RefuseQueryString));
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost(IncomingCallWebhook.Path, (HttpContext http, IncomingCallWebhook webhook) => webhook.HandlePostAsync(http))
            .RequireAuthorization(WebhookAuthentication.PolicyName);
        app.MapMethods(IncomingCallWebhook.Path, new[] { HttpMethods.Options }, (HttpContext http, IncomingCallWebhook webhook) => webhook.HandleOptions(http));
        app.MapHealthChecks("/healthz");

        // Read once the host has started, after ValidateOnStart has checked the options (reading them here, before
        // the start, would throw the validation failure from the wrong place).
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var options = app.Services.GetRequiredService<IOptions<CallbackRouterOptions>>().Value;
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CallbackRouterApp));
            if (options.Routing.PoolNumbers.Count == 0)
            {
                RouterLog.NoPoolNumbers(logger);
            }

            if (!options.Webhook.HasAuthentication)
            {
                RouterLog.NoWebhookAuthentication(logger);
            }
        });
    }

    private static ResiliencePipeline<HttpResponseMessage> CreateRetry(IServiceProvider provider, string dependency)
    {
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TransientHttpRetry));
        var routing = provider.GetRequiredService<IOptions<CallbackRouterOptions>>().Value.Routing;
        return TransientHttpRetry.Create(routing, cause => RouterLog.Retrying(logger, dependency, cause));
    }
}
