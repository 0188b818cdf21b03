using System.Text;
using EmergencySolution.CallbackRouter.Acs;

namespace EmergencySolution.CallbackRouter.Tests;

/// <summary>
/// The HMAC-SHA256 scheme against published vectors. The GET vectors are the ones Microsoft's own Azure SDK for
/// Python asserts for its ACS HMAC policy (azure-communication-identity tests/test_hmac.py: key "pw==", date
/// "Wed, 13 Apr 2022 18:09:12 GMT", host contoso.communicationservices.azure.com, empty body). The POST vectors were
/// derived by hand for the redirect call, with Python's hmac and hashlib modules (not this code):
/// sha256 of the body, then HMAC over "POST\n{path?query}\n{date};{host};{hash}".
/// </summary>
[TestClass]
public sealed class AcsRequestSignerTests
{
    private const string Key = "pw==";
    private const string EmptyBodyHash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    private static readonly DateTimeOffset SdkVectorDate = new(2022, 4, 13, 18, 9, 12, TimeSpan.Zero);

    [TestMethod]
    public void Sign_SdkVector_Banana() =>
        Assert.AreEqual("88EC05aAS9iXnaimtNO78JLjiPtfWryQB/5QYEzEsu8=", new AcsRequestSigner(Key).Sign("banana"));

    [TestMethod]
    public void Sign_SdkVector_NonAsciiTextIsSignedAsUtf8() =>
        Assert.AreEqual("1rudJKjn2Zi+3hRrBG29wIF6pD6YyAeQR1ZcFtXoKAU=", new AcsRequestSigner(Key).Sign("\U0001F600"));

    [TestMethod]
    [DataRow("https://contoso.communicationservices.azure.com/", "88MDmJhUR3m5QhFxb8ztShsSwlGrg7g/6XPnWf7QEO4=")]
    [DataRow("https://contoso.communicationservices.azure.com/testPath", "RoCrHjw7fb9fpHSbqvRUY2xa8RBS0YvI1cxI1x8AS38=")]
    [DataRow("https://contoso.communicationservices.azure.com/testPath?testQuery=yes", "il99+rd6V5O136roX/zVePCNle78HmvC4B7tu9zRH3I=")]
    public void CreateHeaders_SdkVectors_GetWithoutBody(string url, string signature)
    {
        var headers = new AcsRequestSigner(Key).CreateHeaders("GET", new Uri(url), ReadOnlySpan<byte>.Empty, SdkVectorDate);

        Assert.AreEqual("Wed, 13 Apr 2022 18:09:12 GMT", headers.Date);
        Assert.AreEqual(EmptyBodyHash, headers.ContentHash);
        Assert.AreEqual("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=" + signature, headers.Authorization);
    }

    [TestMethod]
    [DataRow("https://contoso.communication.azure.com/calling/callConnections:redirect?api-version=2025-05-15", "oevsrw0G5P2r2JDw32PxLfyoD75Pp8g6++p1MmYFwhg=")]
    [DataRow("https://127.0.0.1:8443/calling/callConnections:redirect?api-version=2025-05-15", "dyFascQ6BWUCnu7OanwjEeweZf73JWoW/D3W+EP5wzc=")]
    public void CreateHeaders_HandDerivedVectors_RedirectPost(string url, string signature)
    {
        var body = Encoding.UTF8.GetBytes("{\"incomingCallContext\":\"ctx\"}");

        var headers = new AcsRequestSigner(Key).CreateHeaders("POST", new Uri(url), body, new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

        Assert.AreEqual("rhM+4eVHNzUDoRF9PG2zfFL+IiSnc0dOhRC3s2aPve4=", headers.ContentHash);
        Assert.AreEqual("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=" + signature, headers.Authorization);
    }

    [TestMethod]
    public void CreateHeaders_ADifferentKeyOrBody_GivesADifferentSignature()
    {
        var uri = new Uri("https://contoso.communication.azure.com/calling/callConnections:redirect?api-version=2025-05-15");
        var body = Encoding.UTF8.GetBytes("{\"incomingCallContext\":\"ctx\"}");
        var reference = new AcsRequestSigner(Key).CreateHeaders("POST", uri, body, SdkVectorDate).Authorization;

        Assert.AreNotEqual(reference, new AcsRequestSigner("cHc=").CreateHeaders("POST", uri, body, SdkVectorDate).Authorization);
        Assert.AreNotEqual(reference, new AcsRequestSigner(Key).CreateHeaders("POST", uri, Encoding.UTF8.GetBytes("{}"), SdkVectorDate).Authorization);
    }

    [TestMethod]
    public void RepeatabilityRequestId_IsStablePerCallAndTarget_AndAVersion5Uuid()
    {
        var first = CallAutomationClient.RepeatabilityRequestId("corr-1", "8:orgid:x");

        Assert.AreEqual(first, CallAutomationClient.RepeatabilityRequestId("corr-1", "8:orgid:x"));
        Assert.AreNotEqual(first, CallAutomationClient.RepeatabilityRequestId("corr-2", "8:orgid:x"));
        Assert.AreNotEqual(first, CallAutomationClient.RepeatabilityRequestId("corr-1", "8:acs:fallback"));
        Assert.AreEqual('5', first.ToString("D")[14]);
        Assert.IsTrue("89ab".Contains(first.ToString("D")[19], StringComparison.Ordinal));
    }
}
