namespace Microsoft.Xrm.Sdk
{
    /// <summary>How an update or delete treats the row version (optimistic concurrency).</summary>
    public enum ConcurrencyBehavior
    {
        Default = 0,
        IfRowVersionMatches = 1,
        AlwaysOverwrite = 2,
    }

    /// <summary>Which side of a self-referential relationship an entity is on.</summary>
    public enum EntityRole
    {
        Referencing = 0,
        Referenced = 1,
    }

    /// <summary>Change tracking state of an entity in a context.</summary>
    public enum EntityState
    {
        Unchanged = 0,
        Created = 1,
        Changed = 2,
    }

    /// <summary>Outcome a plugin reports through <see cref="InvalidPluginExecutionException"/>.</summary>
    public enum OperationStatus
    {
        Failed = 0,
        Canceled = 1,
        Retry = 2,
        Suspended = 3,
        Succeeded = 4,
    }

    /// <summary>HTTP status a plugin may attach to <see cref="InvalidPluginExecutionException"/>.</summary>
    public enum PluginHttpStatusCode
    {
        NotSet = 0,
        BadRequest = 400,
        Unauthorized = 401,
        Forbidden = 403,
        NotFound = 404,
        MethodNotAllowed = 405,
        RequestTimeout = 408,
        Conflict = 409,
        Gone = 410,
        PreconditionFailed = 412,
        RequestEntityTooLarge = 413,
        FailedDependency = 424,
        TooManyRequests = 429,
        InternalServerError = 500,
        BadGateway = 502,
        ServiceUnavailable = 503,
        GatewayTimeout = 504,
    }
}
