using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EmergencySolution.CallbackRouter.Tests.Fakes;

/// <summary>How the fake Dataverse behaves for the lease lookup.</summary>
public enum DataverseBehaviour
{
    Normal,

    /// <summary>Every emc_ResolveEmergencyCallback request answers 503 (an outage).</summary>
    Unavailable,

    /// <summary>emc_ResolveEmergencyCallback never answers (a hung connection).</summary>
    Hang,
}

/// <summary>
/// Entra ID's token endpoint and the Dataverse Web API, on loopback. It answers emc_ResolveEmergencyCallback the
/// way the custom API does (Matched only for a live lease; the other outputs only when Matched, AgentEntraObjectId only
/// for an agent who has one) from its own lease and user tables and clock. Requests without a token it issued get 401.
/// </summary>
public sealed class FakeDataverse : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, LeaseRow> _leases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, Guid?> _users = new();
    private readonly ConcurrentDictionary<string, bool> _issuedTokens = new(StringComparer.Ordinal);
    private int _tokenCount;
    private int _transientFailuresLeft;

    private FakeDataverse()
    {
    }

    public LoopbackServer Server { get; private set; } = null!;

    public DataverseBehaviour Behaviour { get; set; } = DataverseBehaviour.Normal;

    /// <summary>The fake's clock for lease expiry.</summary>
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>When set, resolve requests answer this status (with Retry-After: 0) this many times before answering normally.</summary>
    public (int Status, int Times)? TransientFailures
    {
        set
        {
            _transientStatus = value?.Status ?? 0;
            _transientFailuresLeft = value?.Times ?? 0;
        }
    }

    private int _transientStatus;

    /// <summary>
    /// When set, answers emc_ResolveEmergencyCallback instead of the lease table: the request body in, the response
    /// body out (the end-to-end tests run the real custom API in the in-memory Dataverse here).
    /// </summary>
    public Func<JsonObject, JsonObject>? ResolveHandler { get; set; }

    public IEnumerable<RecordedRequest> TokenRequests => Server.Requests.Where(r => r.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal));

    public IEnumerable<RecordedRequest> ResolveRequests => Server.Requests.Where(r => r.Path == "/api/data/v9.2/emc_ResolveEmergencyCallback");


    public static async Task<FakeDataverse> StartAsync()
    {
        var fake = new FakeDataverse();
        fake.Server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    public void Lease(string e164, Guid agentId, Guid emergencyCallId, DateTimeOffset expiresOn) => _leases[e164] = new LeaseRow(agentId, emergencyCallId, expiresOn);

    /// <summary>The agent's systemuser.azureactivedirectoryobjectid (null: the user has none).</summary>
    public void User(Guid agentId, Guid? entraObjectId) => _users[agentId] = entraObjectId;

    /// <summary>Makes every token issued so far invalid, as a revoked or rotated credential would.</summary>
    public void RevokeTokens() => _issuedTokens.Clear();

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private async Task HandleAsync(RecordedRequest request, HttpContext context)
    {
        if (request.Method == "POST" && request.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
        {
            var token = "token-" + Interlocked.Increment(ref _tokenCount);
            _issuedTokens[token] = true;
            await WriteJsonAsync(context, 200, new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["access_token"] = token });
            return;
        }

        var authorization = request.Header("Authorization");
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_issuedTokens.ContainsKey(authorization["Bearer ".Length..]))
        {
            await WriteJsonAsync(context, 401, Error("0x80040220", "The token is not valid."));
            return;
        }

        if (request.Method == "POST" && request.Path == "/api/data/v9.2/emc_ResolveEmergencyCallback")
        {
            await ResolveAsync(request, context);
            return;
        }

        await WriteJsonAsync(context, 404, Error("0x8006088a", "Resource not found for the segment."));
    }

    private async Task ResolveAsync(RecordedRequest request, HttpContext context)
    {
        switch (Behaviour)
        {
            case DataverseBehaviour.Unavailable:
                await WriteJsonAsync(context, 503, Error("0x80072322", "Service unavailable."));
                return;
            case DataverseBehaviour.Hang:
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
        }

        if (Interlocked.Decrement(ref _transientFailuresLeft) >= 0)
        {
            context.Response.Headers.RetryAfter = "0";
            await WriteJsonAsync(context, _transientStatus, Error("0x80072321", "Try again."));
            return;
        }

        var body = JsonNode.Parse(request.Body)!.AsObject();
        if (ResolveHandler is { } handler)
        {
            var answer = handler(body);
            await WriteJsonAsync(context, answer.ContainsKey("error") ? 400 : 200, answer);
            return;
        }

        var called = body["CalledNumber"]?.GetValue<string>();
        if (string.IsNullOrEmpty(called))
        {
            await WriteJsonAsync(context, 400, Error("0x80040203", "CalledNumber is empty."));
            return;
        }

        var response = new JsonObject { ["@odata.context"] = "http://fake/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.emc_ResolveEmergencyCallbackResponse" };
        if (_leases.TryGetValue(called, out var lease) && lease.ExpiresOn > Now)
        {
            response["Matched"] = true;
            response["AgentId"] = lease.AgentId.ToString("D");
            response["EmergencyCallId"] = lease.EmergencyCallId.ToString("D");
            response["Priority"] = 0;
            response["BypassRouting"] = true;
            response["ExpiresOn"] = lease.ExpiresOn.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
            if (_users.TryGetValue(lease.AgentId, out var objectId) && objectId.HasValue)
            {
                response["AgentEntraObjectId"] = objectId.Value.ToString("D");
            }
        }
        else
        {
            response["Matched"] = false;
            response["BypassRouting"] = false;
        }

        await WriteJsonAsync(context, 200, response);
    }

    private static JsonObject Error(string code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; odata.metadata=minimal";
        await context.Response.WriteAsync(body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }

    private sealed record LeaseRow(Guid AgentId, Guid EmergencyCallId, DateTimeOffset ExpiresOn);
}
