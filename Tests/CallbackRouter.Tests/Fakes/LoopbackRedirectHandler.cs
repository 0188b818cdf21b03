namespace EmergencySolution.CallbackRouter.Tests.Fakes;

/// <summary>
/// Sends a request to a loopback fake instead of its real host. MSAL insists on an https authority, so sign-in keeps
/// the real authority URL and this handler, on the router's "entra" HttpClient, moves it onto the fake's port.
/// </summary>
public sealed class LoopbackRedirectHandler : DelegatingHandler
{
    private readonly Uri _target;

    public LoopbackRedirectHandler(Uri target)
    {
        _target = target;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = _target.Scheme, Host = _target.Host, Port = _target.Port }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}
