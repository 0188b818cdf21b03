using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EmergencySolution.CallbackRouter.Tests.Fakes;

/// <summary>
/// The Call Automation redirect endpoint on loopback. It checks every request's HMAC-SHA256 signature with its own
/// implementation of the documented scheme (not the router's signer), answers 401 to a bad one, and 204 to a good
/// redirect unless a status is set for the target's raw id.
/// </summary>
public sealed class FakeAcs : IAsyncDisposable
{
    private readonly byte[] _key;
    private readonly ConcurrentDictionary<string, int> _statusByTarget = new(StringComparer.Ordinal);
    private int _signatureFailures;

    private FakeAcs(string base64Key)
    {
        _key = Convert.FromBase64String(base64Key);
    }

    public LoopbackServer Server { get; private set; } = null!;

    public int SignatureFailures => _signatureFailures;

    public IEnumerable<RecordedRequest> Redirects => Server.Requests.Where(r => r.Path == "/calling/callConnections:redirect");

    /// <summary>The target raw ids of the redirects that were accepted (204), in order.</summary>
    public List<string> AcceptedTargets { get; } = new();

    public static async Task<FakeAcs> StartAsync(string base64Key)
    {
        var fake = new FakeAcs(base64Key);
        fake.Server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    public void AnswerForTarget(string rawId, int status) => _statusByTarget[rawId] = status;

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private async Task HandleAsync(RecordedRequest request, HttpContext context)
    {
        if (!SignatureIsValid(request, context.Request.Host.Value ?? string.Empty))
        {
            Interlocked.Increment(ref _signatureFailures);
            context.Response.StatusCode = 401;
            return;
        }

        if (request.Method != "POST" || request.Path != "/calling/callConnections:redirect")
        {
            context.Response.StatusCode = 404;
            return;
        }

        var body = JsonNode.Parse(request.Body)!.AsObject();
        var rawId = body["target"]?["rawId"]?.GetValue<string>() ?? string.Empty;
        if (string.IsNullOrEmpty(body["incomingCallContext"]?.GetValue<string>()) || rawId.Length == 0)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var status = _statusByTarget.TryGetValue(rawId, out var configured) ? configured : 204;
        if (status == 204)
        {
            lock (AcceptedTargets)
            {
                AcceptedTargets.Add(rawId);
            }
        }

        context.Response.StatusCode = status;
    }

    private bool SignatureIsValid(RecordedRequest request, string host)
    {
        var date = request.Header("x-ms-date");
        var contentHash = request.Header("x-ms-content-sha256");
        var authorization = request.Header("Authorization");
        if (!DateTimeOffset.TryParseExact(date, "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
            || contentHash != Convert.ToBase64String(SHA256.HashData(request.Body)))
        {
            return false;
        }

        var stringToSign = request.Method + "\n" + request.PathAndQuery + "\n" + date + ";" + host + ";" + contentHash;
        using var hmac = new HMACSHA256(_key);
        var expected = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=" +
            Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
        return authorization == expected;
    }
}
