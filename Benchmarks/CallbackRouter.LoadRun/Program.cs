using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using EmergencySolution.CallbackRouter;
using EmergencySolution.CallbackRouter.Configuration;
using EmergencySolution.CallbackRouter.Routing;
using EmergencySolution.CallbackRouter.Webhook;
using EmergencySolution.CallbackRouter.Tests.Fakes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Usage: dotnet run -c Release --project Benchmarks/CallbackRouter.LoadRun [-- --calls 2000 --concurrency 4]
// Every call is an IncomingCall for a leased number: the full path (lease lookup with the agent's identity, signed
// redirect). Dataverse, Entra ID and ACS are the tests' loopback fakes, so the figures are the router's own cost
// plus loopback HTTP, not a real org's 5–50 ms per request. Deliveries carry the webhook's shared secret in its
// delivery header, as the router runs in Production. The webhook answers on acceptance and routes afterwards, so the
// run measures the answer (client side) and the routing (server side, from the router's own metrics) apart.
var calls = IntArgument(args, "--calls", 2000, 1, 100_000);
var concurrency = IntArgument(args, "--concurrency", 4, 1, 64);
const int warmUpCalls = 200;
const int leasedNumbers = 50;

Console.WriteLine($"Callback router load run: {calls} calls after {warmUpCalls} warm-up calls, {concurrency} at a time, on 127.0.0.1");
await using var dataverse = await FakeDataverse.StartAsync();
await using var acs = await FakeAcs.StartAsync(RouterSettings.AccessKey);
var numbers = Enumerable.Range(0, leasedNumbers).Select(i => "+1312555" + (1000 + i).ToString(CultureInfo.InvariantCulture)).ToArray();
foreach (var number in numbers)
{
    var agentId = Guid.NewGuid();
    dataverse.Lease(number, agentId, Guid.NewGuid(), DateTimeOffset.UtcNow.AddHours(1));
    dataverse.User(agentId, Guid.NewGuid());
}

var settings = RouterSettings.For(dataverse, acs);
RouterSettings.WithWebhookSecret(settings);
settings["Logging:LogLevel:Default"] = "Warning";
for (var index = 0; index < numbers.Length; index++)
{
    settings["CallbackRouter:Routing:PoolNumbers:" + index] = numbers[index];
}

var router = CallbackRouterApp.Create(new[] { "--urls", "http://127.0.0.1:0" }, builder =>
{
    builder.Configuration.AddInMemoryCollection(settings);
    builder.Services.AddHttpClient("entra").AddHttpMessageHandler(() => new LoopbackRedirectHandler(dataverse.Server.BaseAddress));
});
await router.StartAsync();
var routerAddress = new Uri(router.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

var decisions = new List<double>();
var routings = new List<double>();
using var listener = new MeterListener();
listener.InstrumentPublished = (instrument, l) =>
{
    if (instrument.Meter.Name == RouterMetrics.MeterName && instrument.Name is RouterMetrics.DecisionDurationName or RouterMetrics.RoutingDurationName)
    {
        l.EnableMeasurementEvents(instrument);
    }
};
listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
{
    var into = instrument.Name == RouterMetrics.DecisionDurationName ? decisions : routings;
    lock (into)
    {
        into.Add(value);
    }
});
listener.Start();

var accepted = router.Services.GetRequiredService<AcceptedCalls>();
using var client = new HttpClient { BaseAddress = routerAddress, Timeout = TimeSpan.FromSeconds(30) };
client.DefaultRequestHeaders.Add(WebhookOptions.DefaultSharedSecretHeader, RouterSettings.WebhookSecret);
await RunAsync(warmUpCalls, report: false);
await accepted.WhenIdleAsync();
lock (decisions)
{
    decisions.Clear();
}

lock (routings)
{
    routings.Clear();
}

var webhookTimes = await RunAsync(calls, report: true);
await accepted.WhenIdleAsync();
var redirected = acs.AcceptedTargets.Count;
await router.StopAsync();

double[] decided;
lock (decisions)
{
    decided = decisions.ToArray();
}

double[] routed;
lock (routings)
{
    routed = routings.ToArray();
}

Console.WriteLine();
Report("decision latency (delivery accepted → target known), server-side", decided);
Report("routing latency (delivery accepted → redirect accepted by ACS), server-side", routed);
Report("webhook answer latency (POST sent → 200 received; routing goes on after it), client-side", webhookTimes);
Console.WriteLine($"redirects accepted by the ACS fake: {redirected} of {calls + warmUpCalls}; signature failures: {acs.SignatureFailures}");
var p99 = Percentile(decided, 0.99);
Console.WriteLine($"goal: decision p99 <= 20 ms -> {(p99 <= 20 ? "met" : "NOT met")} ({p99.ToString("F2", CultureInfo.InvariantCulture)} ms)");
return 0;

async Task<double[]> RunAsync(int count, bool report)
{
    var times = new double[count];
    var next = -1;
    var done = 0;
    var workers = Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int index;
        while ((index = Interlocked.Increment(ref next)) < count)
        {
            var body = Events.IncomingCall(numbers[index % numbers.Length], correlationId: Guid.NewGuid().ToString());
            var watch = Stopwatch.StartNew();
            using var response = await client.PostAsync("/api/incoming-call", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            times[index] = watch.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException("the router answered " + (int)response.StatusCode);
            }

            var finished = Interlocked.Increment(ref done);
            if (report && finished % 500 == 0)
            {
                Console.WriteLine($"  {finished}/{count} calls");
            }
        }
    });
    await Task.WhenAll(workers);
    return times;
}

static void Report(string title, double[] values)
{
    Console.WriteLine(title + ":");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  n={values.Length}  p50={Percentile(values, 0.50):F2} ms  p90={Percentile(values, 0.90):F2} ms  p99={Percentile(values, 0.99):F2} ms  max={(values.Length == 0 ? 0 : values.Max()):F2} ms"));
}

static double Percentile(double[] values, double quantile)
{
    if (values.Length == 0)
    {
        return double.NaN;
    }

    var sorted = values.OrderBy(v => v).ToArray();
    var rank = (int)Math.Ceiling(quantile * sorted.Length) - 1;
    return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
}

static int IntArgument(string[] args, string name, int fallback, int min, int max)
{
    var index = Array.IndexOf(args, name);
    if (index < 0)
    {
        return fallback;
    }

    if (index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
    {
        return value;
    }

    Console.Error.WriteLine($"{name} needs a whole number from {min} to {max}.");
    Environment.Exit(2);
    return fallback;
}
