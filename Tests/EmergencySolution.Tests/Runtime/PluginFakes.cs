using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Tests.Runtime;

/// <summary>The platform's service provider, holding exactly the services a test gives it.</summary>
internal sealed class FakeServiceProvider : IServiceProvider
{
    private readonly Dictionary<Type, object> _services = new();

    public FakeServiceProvider With<TService>(TService service)
        where TService : class
    {
        _services[typeof(TService)] = service;
        return this;
    }

    public object? GetService(Type serviceType) => _services.TryGetValue(serviceType, out var service) ? service : null;
}

internal sealed class FakeTracingService : ITracingService
{
    public List<string> Lines { get; } = new();

    public void Trace(string format, params object[] args) =>
        Lines.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
}

/// <summary>Hands out one recording service per requested user id (null = SYSTEM) and remembers the requests.</summary>
internal sealed class FakeServiceFactory : IOrganizationServiceFactory
{
    public List<Guid?> RequestedUserIds { get; } = new();

    public IOrganizationService CreateOrganizationService(Guid? userId)
    {
        RequestedUserIds.Add(userId);
        return new UserBoundService(userId);
    }
}

/// <summary>An organization service that only knows which user it runs as; every call fails the test.</summary>
internal sealed class UserBoundService : IOrganizationService
{
    public UserBoundService(Guid? userId)
    {
        UserId = userId;
    }

    public Guid? UserId { get; }

    public Guid Create(Entity entity) => throw new AssertFailedException("Unexpected Create.");

    public Entity Retrieve(string entityName, Guid id, ColumnSet columnSet) => throw new AssertFailedException("Unexpected Retrieve.");

    public void Update(Entity entity) => throw new AssertFailedException("Unexpected Update.");

    public void Delete(string entityName, Guid id) => throw new AssertFailedException("Unexpected Delete.");

    public OrganizationResponse Execute(OrganizationRequest request) => throw new AssertFailedException("Unexpected Execute.");

    public void Associate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) =>
        throw new AssertFailedException("Unexpected Associate.");

    public void Disassociate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) =>
        throw new AssertFailedException("Unexpected Disassociate.");

    public EntityCollection RetrieveMultiple(QueryBase query) => throw new AssertFailedException("Unexpected RetrieveMultiple.");
}

internal sealed class FakePluginExecutionContext : IPluginExecutionContext
{
    public int Mode { get; init; }

    public int IsolationMode { get; init; } = 2;

    public int Depth { get; init; } = 1;

    public string MessageName { get; init; } = "Update";

    public string PrimaryEntityName { get; init; } = "systemuser";

    public Guid? RequestId { get; init; }

    public string SecondaryEntityName { get; init; } = "none";

    public ParameterCollection InputParameters { get; } = new();

    public ParameterCollection OutputParameters { get; } = new();

    public ParameterCollection SharedVariables { get; } = new();

    public Guid UserId { get; init; }

    public Guid InitiatingUserId { get; init; }

    public Guid BusinessUnitId { get; init; }

    public Guid OrganizationId { get; init; }

    public string OrganizationName { get; init; } = "contoso";

    public Guid PrimaryEntityId { get; init; }

    public EntityImageCollection PreEntityImages { get; } = new();

    public EntityImageCollection PostEntityImages { get; } = new();

    public EntityReference OwningExtension { get; init; } = new("sdkmessageprocessingstep", Guid.Empty);

    public Guid CorrelationId { get; init; }

    public bool IsExecutingOffline { get; init; }

    public bool IsOfflinePlayback { get; init; }

    public bool IsInTransaction { get; init; } = true;

    public Guid OperationId { get; init; }

    public DateTime OperationCreatedOn { get; init; }

    public int Stage { get; init; } = 20;

    public IPluginExecutionContext ParentContext { get; init; } = null!;
}
