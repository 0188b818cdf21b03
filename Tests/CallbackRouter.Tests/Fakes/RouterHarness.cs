using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmergencySolution.CallbackRouter.Tests.Fakes;

/// <summary>
/// The router under WebApplicationFactory, wired to loopback fakes: Entra ID and Dataverse (one fake), ACS (another).
/// Sign-in goes to the real authority URL (MSAL requires https) and is rewritten onto the fake's port by a handler on
/// the router's "entra" HttpClient; Dataverse and ACS are reached at their configured loopback URLs. Every log line
/// the router writes is kept in <see cref="Logs"/>, and each call's outcome, as the router logs it, in
/// <see cref="Routed"/>: the webhook's answer says nothing about outcomes, so tests read them where ops do.
/// Every Post waits until the router has finished routing what it accepted, so request counts are final.
/// </summary>
public sealed class RouterHarness : IAsyncDisposable
{
    public const string AccessKey = RouterSettings.AccessKey;
    public const string FallbackRawId = RouterSettings.FallbackRawId;

    private readonly WebApplicationFactory<Program> _factory;

    private RouterHarness(FakeDataverse dataverse, FakeAcs acs, WebApplicationFactory<Program> factory, ConcurrentQueue<string> logs, ConcurrentQueue<RoutedCall> routed)
    {
        Dataverse = dataverse;
        Acs = acs;
        _factory = factory;
        Logs = logs;
        Routed = routed;
        Client = factory.CreateClient();
    }

    public FakeDataverse Dataverse { get; }

    public FakeAcs Acs { get; }

    public HttpClient Client { get; }

    public ConcurrentQueue<string> Logs { get; }

    /// <summary>Every call's outcome, in the order the router logged them (event 1, "Incoming call …: outcome (reason)").</summary>
    public ConcurrentQueue<RoutedCall> Routed { get; }

    public IServiceProvider Services => _factory.Services;

    public static async Task<RouterHarness> StartAsync(Action<Dictionary<string, string?>>? settings = null)
    {
        var dataverse = await FakeDataverse.StartAsync();
        var acs = await FakeAcs.StartAsync(AccessKey);
        var values = RouterSettings.For(dataverse, acs);
        // Generous deadlines: a cold first call (sign-in, JIT, the in-memory Dataverse running Resolve) on a machine
        // shared with other builds can take seconds. Tests of the deadlines set their own.
        values["CallbackRouter:Routing:LookupDeadline"] = "00:00:15";
        values["CallbackRouter:Routing:RedirectTimeout"] = "00:00:15";
        values["CallbackRouter:Routing:RetryBaseDelay"] = "00:00:00.010";
        settings?.Invoke(values);

        var logs = new ConcurrentQueue<string>();
        var routed = new ConcurrentQueue<RoutedCall>();
        var entraPort = dataverse.Server.BaseAddress;
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(values));
            builder.ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.SetMinimumLevel(LogLevel.Trace);
                logging.AddProvider(new CollectingLoggerProvider(logs, routed));
            });
            builder.ConfigureServices(services =>
                services.AddHttpClient("entra").AddHttpMessageHandler(() => new LoopbackRedirectHandler(entraPort)));
        });
        try
        {
            return new RouterHarness(dataverse, acs, factory, logs, routed);
        }
        catch
        {
            // The router did not start: leave no server behind.
            await factory.DisposeAsync();
            await dataverse.DisposeAsync();
            await acs.DisposeAsync();
            throw;
        }
    }

    /// <summary>Posts a delivery (with <paramref name="headers"/>, such as a secret or a bearer token) and waits until what it started is routed.</summary>
    public Task<HttpResponseMessage> PostAsync(string json, string? query = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/incoming-call" + query) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return SendAsync(request);
    }

    /// <summary>Sends a request to the router and waits until every call it accepted has been routed.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            var response = await Client.SendAsync(request);
            await Services.GetRequiredService<EmergencySolution.CallbackRouter.Webhook.AcceptedCalls>().WhenIdleAsync();
            return response;
        }
    }

    /// <summary>
    /// Posts a delivery that must be accepted and answers {"calls": [{correlationId, outcome, reason}]}: the outcomes
    /// the router logged for it. Not for deliveries posted at the same time (their outcomes would mix).
    /// </summary>
    public async Task<JsonObject> PostForOutcomeAsync(string json, IReadOnlyDictionary<string, string>? headers = null)
    {
        var before = Routed.Count;
        using var response = await PostAsync(json, headers: headers);
        Assert.AreEqual(System.Net.HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        var calls = new JsonArray(Routed.Skip(before).Select(c => (JsonNode)new JsonObject
        {
            ["correlationId"] = c.CorrelationId,
            ["outcome"] = c.Outcome,
            ["reason"] = c.Reason,
        }).ToArray());
        return new JsonObject { ["answer"] = JsonNode.Parse(await response.Content.ReadAsStringAsync()), ["calls"] = calls };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        await Dataverse.DisposeAsync();
        await Acs.DisposeAsync();
    }
}

/// <summary>One call's outcome as the router logged it.</summary>
public sealed record RoutedCall(string CorrelationId, string Outcome, string Reason);

/// <summary>Keeps every formatted log line, with its category and the exception text, and the routing outcomes.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    private const string RoutingCategory = "EmergencySolution.CallbackRouter.Routing.CallbackRoutingService";
    private const int CallRoutedEventId = 1;

    private readonly ConcurrentQueue<string> _lines;
    private readonly ConcurrentQueue<RoutedCall>? _routed;

    public CollectingLoggerProvider(ConcurrentQueue<string> lines, ConcurrentQueue<RoutedCall>? routed = null)
    {
        _lines = lines;
        _routed = routed;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines, _routed);

    public void Dispose()
    {
    }

    private sealed class Logger : ILogger
    {
        private readonly string _category;
        private readonly ConcurrentQueue<string> _lines;
        private readonly ConcurrentQueue<RoutedCall>? _routed;

        public Logger(string category, ConcurrentQueue<string> lines, ConcurrentQueue<RoutedCall>? routed)
        {
            _category = category;
            _lines = lines;
            _routed = routed;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => p.Key + "=" + p.Value)) : string.Empty;
            _lines.Enqueue($"{logLevel} {_category} [{eventId.Id}] {formatter(state, exception)} | {values} {exception}");
            if (_routed is not null && _category == RoutingCategory && eventId.Id == CallRoutedEventId && state is IEnumerable<KeyValuePair<string, object?>> routedPairs)
            {
                var fields = routedPairs.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? string.Empty);
                _routed.Enqueue(new RoutedCall(fields["CorrelationId"], fields["Outcome"], fields["Reason"]));
            }
        }
    }
}
