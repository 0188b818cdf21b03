using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EmergencySolution.CallbackRouter.Acs;

/// <summary>
/// Azure Communication Services access-key authentication (HMAC-SHA256), as documented in "Sign an HTTP request"
/// for ACS: the string to sign is
/// <code>VERB + "\n" + path-and-query + "\n" + x-ms-date + ";" + host + ";" + x-ms-content-sha256</code>
/// where x-ms-content-sha256 is the base64 SHA-256 of the body (of no bytes, when there is no body) and x-ms-date is
/// RFC 1123. The signature is the base64 HMAC-SHA256 of that string under the base64-decoded access key.
/// </summary>
public sealed class AcsRequestSigner
{
    public const string SignedHeaders = "x-ms-date;host;x-ms-content-sha256";

    private readonly byte[] _key;

    public AcsRequestSigner(string base64AccessKey)
    {
        _key = Convert.FromBase64String(base64AccessKey);
    }

    public static string ContentHash(ReadOnlySpan<byte> body) => Convert.ToBase64String(SHA256.HashData(body));

    public static string FormatDate(DateTimeOffset when) => when.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);

    public static string StringToSign(string method, string pathAndQuery, string date, string host, string contentHash) =>
        method.ToUpperInvariant() + "\n" + pathAndQuery + "\n" + date + ";" + host + ";" + contentHash;

    public string Sign(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>The three headers ACS expects, for a request to <paramref name="uri"/> with <paramref name="body"/>.</summary>
    public SignedRequestHeaders CreateHeaders(string method, Uri uri, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var date = FormatDate(now);
        var contentHash = ContentHash(body);
        // The host the server sees in the Host header: the authority, with the port when it is not the default.
        var host = uri.IsDefaultPort ? uri.Host : uri.Authority;
        var signature = Sign(StringToSign(method, uri.PathAndQuery, date, host, contentHash));
        return new SignedRequestHeaders(date, contentHash, $"HMAC-SHA256 SignedHeaders={SignedHeaders}&Signature={signature}");
    }
}

public sealed record SignedRequestHeaders(string Date, string ContentHash, string Authorization);

/// <summary>Signs every request of the ACS HttpClient; the body is buffered so its hash and the bytes sent agree.</summary>
public sealed class AcsSigningHandler : DelegatingHandler
{
    private readonly AcsRequestSigner _signer;
    private readonly TimeProvider _clock;

    public AcsSigningHandler(AcsRequestSigner signer, TimeProvider clock)
    {
        _signer = signer;
        _clock = clock;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? Array.Empty<byte>() : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var headers = _signer.CreateHeaders(request.Method.Method, request.RequestUri!, body, _clock.GetUtcNow());
        request.Headers.Remove("x-ms-date");
        request.Headers.Remove("x-ms-content-sha256");
        request.Headers.TryAddWithoutValidation("x-ms-date", headers.Date);
        request.Headers.TryAddWithoutValidation("x-ms-content-sha256", headers.ContentHash);
        request.Headers.Authorization = null;
        request.Headers.TryAddWithoutValidation("Authorization", headers.Authorization);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
