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
/// the router writes is kept in <see cref="Logs"/>.
/// </summary>
public sealed class RouterHarness : IAsyncDisposable
{
    public const string AccessKey = RouterSettings.AccessKey;
    public const string FallbackRawId = RouterSettings.FallbackRawId;

    private readonly WebApplicationFactory<Program> _factory;

    private RouterHarness(FakeDataverse dataverse, FakeAcs acs, WebApplicationFactory<Program> factory, ConcurrentQueue<string> logs)
    {
        Dataverse = dataverse;
        Acs = acs;
        _factory = factory;
        Logs = logs;
        Client = factory.CreateClient();
    }

    public FakeDataverse Dataverse { get; }

    public FakeAcs Acs { get; }

    public HttpClient Client { get; }

    public ConcurrentQueue<string> Logs { get; }

    public IServiceProvider Services => _factory.Services;

    public static async Task<RouterHarness> StartAsync(Action<Dictionary<string, string?>>? settings = null)
    {
        var dataverse = await FakeDataverse.StartAsync();
        var acs = await FakeAcs.StartAsync(AccessKey);
        var values = RouterSettings.For(dataverse, acs);
        values["CallbackRouter:Routing:LookupDeadline"] = "00:00:02";
        values["CallbackRouter:Routing:RetryBaseDelay"] = "00:00:00.010";
        settings?.Invoke(values);

        var logs = new ConcurrentQueue<string>();
        var entraPort = dataverse.Server.BaseAddress;
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(values));
            builder.ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.SetMinimumLevel(LogLevel.Trace);
                logging.AddProvider(new CollectingLoggerProvider(logs));
            });
            builder.ConfigureServices(services =>
                services.AddHttpClient("entra").AddHttpMessageHandler(() => new LoopbackRedirectHandler(entraPort)));
        });
        try
        {
            return new RouterHarness(dataverse, acs, factory, logs);
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

    public Task<HttpResponseMessage> PostAsync(string json, string? query = null) =>
        Client.PostAsync("/api/incoming-call" + query, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public async Task<JsonObject> PostForOutcomeAsync(string json)
    {
        using var response = await PostAsync(json);
        var body = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(body)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        await Dataverse.DisposeAsync();
        await Acs.DisposeAsync();
    }
}

/// <summary>Keeps every formatted log line, with its category and the exception text.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines;

    public CollectingLoggerProvider(ConcurrentQueue<string> lines)
    {
        _lines = lines;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger : ILogger
    {
        private readonly string _category;
        private readonly ConcurrentQueue<string> _lines;

        public Logger(string category, ConcurrentQueue<string> lines)
        {
            _category = category;
            _lines = lines;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => p.Key + "=" + p.Value)) : string.Empty;
            _lines.Enqueue($"{logLevel} {_category} [{eventId.Id}] {formatter(state, exception)} | {values} {exception}");
        }
    }
}
