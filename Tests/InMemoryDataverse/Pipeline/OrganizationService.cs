using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    /// <summary>Who calls: user, initiating user, the depth of the calling code (0 outside), and the calling plugin.</summary>
    internal sealed class Caller
    {
        public Caller(Guid userId, Guid initiatingUserId, int depth, PluginExecutionContext? parentContext, string? pluginTypeName)
        {
            UserId = userId;
            InitiatingUserId = initiatingUserId;
            Depth = depth;
            ParentContext = parentContext;
            PluginTypeName = pluginTypeName;
        }

        public Guid UserId { get; }
        public Guid InitiatingUserId { get; }
        public int Depth { get; }
        public PluginExecutionContext? ParentContext { get; }
        public string? PluginTypeName { get; }

        // The caller one level down, made once: every request of a service starts at the same depth.
        private Caller? _oneDeeper;

        /// <summary>The same caller with the depth of the operation it starts.</summary>
        public Caller AtDepth(int depth) =>
            depth == Depth + 1
                ? _oneDeeper ??= new Caller(UserId, InitiatingUserId, depth, ParentContext, PluginTypeName)
                : new Caller(UserId, InitiatingUserId, depth, ParentContext, PluginTypeName);
    }

    /// <summary>
    /// IOrganizationService for one caller. The convenience methods are exactly their request messages, as in the
    /// real service, so they are logged and run through the pipeline the same way.
    /// </summary>
    internal sealed class OrganizationService : IOrganizationService
    {
        private readonly InMemoryOrganization _organization;
        private readonly Caller _caller;

        public OrganizationService(InMemoryOrganization organization, Caller caller)
        {
            _organization = organization;
            _caller = caller;
        }

        public Guid Create(Entity entity) => ((CreateResponse)Execute(new CreateRequest { Target = entity })).id;

        public Entity Retrieve(string entityName, Guid id, ColumnSet columnSet) =>
            ((RetrieveResponse)Execute(new RetrieveRequest { Target = new EntityReference(entityName, id), ColumnSet = columnSet })).Entity;

        public void Update(Entity entity) => Execute(new UpdateRequest { Target = entity });

        public void Delete(string entityName, Guid id) => Execute(new DeleteRequest { Target = new EntityReference(entityName, id) });

        public OrganizationResponse Execute(OrganizationRequest request) => _organization.Execute(request, _caller, isInner: false);

        public void Associate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) =>
            Execute(new AssociateRequest { Target = new EntityReference(entityName, entityId), Relationship = relationship, RelatedEntities = relatedEntities });

        public void Disassociate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) =>
            Execute(new DisassociateRequest { Target = new EntityReference(entityName, entityId), Relationship = relationship, RelatedEntities = relatedEntities });

        public EntityCollection RetrieveMultiple(QueryBase query) =>
            ((RetrieveMultipleResponse)Execute(new RetrieveMultipleRequest { Query = query })).EntityCollection;
    }

    /// <summary>The IServiceProvider a plugin receives: context, service factory bound to the context, tracing.</summary>
    internal sealed class PluginServiceProvider : IServiceProvider, IOrganizationServiceFactory, ITracingService
    {
        private readonly InMemoryOrganization _organization;
        private readonly PluginExecutionContext _context;
        private readonly string _pluginTypeName;

        public PluginServiceProvider(InMemoryOrganization organization, PluginExecutionContext context, string pluginTypeName)
        {
            _organization = organization;
            _context = context;
            _pluginTypeName = pluginTypeName;
        }

        public object? GetService(Type serviceType)
        {
            if (serviceType == typeof(IPluginExecutionContext) || serviceType == typeof(IExecutionContext) || serviceType == typeof(PluginExecutionContext))
            {
                return _context;
            }

            if (serviceType == typeof(IOrganizationServiceFactory))
            {
                return this;
            }

            if (serviceType == typeof(ITracingService))
            {
                return this;
            }

            return null;
        }

        /// <summary>
        /// As documented for IOrganizationServiceFactory.CreateOrganizationService in a plug-in: null is the SYSTEM user,
        /// Guid.Empty the context's UserId, any other id that user. The initiating user is kept.
        /// </summary>
        public IOrganizationService CreateOrganizationService(Guid? userId)
        {
            var user = userId == null ? _organization.SystemUserId : userId.Value == Guid.Empty ? _context.UserId : userId.Value;
            return new OrganizationService(_organization, new Caller(user, _context.InitiatingUserId, _context.Depth, _context, _pluginTypeName));
        }

        public void Trace(string format, params object[] args)
        {
            var text = args == null || args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
            _organization.AddTrace(text, _pluginTypeName, _context.Depth);
        }
    }
}
