using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    /// <summary>
    /// An in-memory Dataverse organization: store, query engine, transactions and an event pipeline wired from the
    /// solution's own registration XML (see <see cref="LoadSolution"/>). FakeXrmEasy-like entry points
    /// (<see cref="Initialize"/>, <see cref="GetOrganizationService"/>, <see cref="ExecutePluginWith{TPlugin}(PluginExecutionContext, string, string)"/>).
    /// </summary>
    public sealed partial class InMemoryOrganization : IOrganizationServiceFactory, ITimeSource
    {
        /// <summary>The platform's loop limit: a request at a deeper depth faults.</summary>
        public const int DefaultMaxDepth = 8;

        private readonly List<string> _traces = new List<string>();
        private readonly List<TraceEntry> _traceLog = new List<TraceEntry>();
        private readonly Dictionary<string, CustomApiDefinition> _customApis = new Dictionary<string, CustomApiDefinition>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<Guid, HashSet<string>> _userRoles = new Dictionary<Guid, HashSet<string>>();
        private readonly Dictionary<Guid, HashSet<string>> _userPrivileges = new Dictionary<Guid, HashSet<string>>();
        private readonly Dictionary<string, RoleDefinition> _roles = new Dictionary<string, RoleDefinition>(StringComparer.OrdinalIgnoreCase);

        public InMemoryOrganization()
        {
            Store = new EntityStore(Metadata);
            Queries = new QueryEngine(Store);
            Messages = new MessageTable(this);
            Pipeline = new PipelineRunner(this);
            Access = new RecordAccess(this);
            Metadata.DeclareManyToMany(new ManyToManyRelationship("systemuserroles_association", "systemuserroles", "systemuser", "systemuserid", "role", "roleid"));
        }

        internal MetadataRegistry Metadata { get; } = new MetadataRegistry();

        internal EntityStore Store { get; }

        internal QueryEngine Queries { get; }

        internal MessageTable Messages { get; }

        internal PipelineRunner Pipeline { get; }

        internal RequestLog Log { get; } = new RequestLog();

        internal RecordAccess Access { get; private set; } = null!;

        internal FailureInjection Failures { get; } = new FailureInjection();

        /// <summary>Main operations a test replaced with <see cref="AddMessageHandler"/>.</summary>
        internal Dictionary<string, MessageHandler> ReplacedHandlers { get; } = new Dictionary<string, MessageHandler>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The SYSTEM user: what <see cref="GetOrganizationService"/> and CreateOrganizationService(null) run as.</summary>
        public Guid SystemUserId { get; set; } = new Guid("5d8b1b0e-0000-4000-8000-00000000a001");

        public Guid BusinessUnitId { get; set; } = new Guid("5d8b1b0e-0000-4000-8000-00000000b001");

        public Guid OrganizationId { get; set; } = new Guid("5d8b1b0e-0000-4000-8000-00000000c001");

        /// <summary>The organization clock: createdon/modifiedon and every context's OperationCreatedOn. Fixed until a test moves it.</summary>
        public DateTime UtcNow { get; set; } = new DateTime(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);

        /// <summary>The clock as a time source for code under test that runs outside plugins.</summary>
        public ITimeSource Clock => this;

        public int MaxDepth { get; set; } = DefaultMaxDepth;

        /// <summary>
        /// False (default, as documented: ParentContext only in stages 20 and 40 of Create, Update, Delete and
        /// RetrieveExchangeRate). True hands a custom API's main operation (stage 30) the caller's context as
        /// ParentContext, which Microsoft does not document; only to show code that would wrongly rely on it.
        /// </summary>
        public bool ParentContextInCustomApiMainOperation { get; set; }

        /// <summary>
        /// How long a write waits for a row that another thread's transaction holds locked before it fails with
        /// <see cref="ErrorCodes.SqlTimeout"/> (30 s by default). Any number of threads may use one organization.
        /// </summary>
        public TimeSpan LockTimeout
        {
            get => Store.LockTimeout;
            set => Store.LockTimeout = value;
        }

        /// <summary>
        /// False (default): async steps are queued at commit and run by <see cref="RunPendingAsyncOperations"/>, which
        /// lets a test look at the state between the operation and its async work. True: they run right after commit.
        /// </summary>
        public bool RunAsyncStepsImmediately { get; set; }

        /// <summary>
        /// True (default, as Dataverse): when a write fails inside a transaction and the plugin that issued it
        /// swallows the error, the whole operation fails with -2146893812 ("ISV code reduced the open transaction count").
        /// </summary>
        public bool FailOperationsThatSwallowNestedWriteFaults { get; set; } = true;

        /// <summary>
        /// False (default): table privileges are not checked; only a custom API's executeprivilegename is. True: Create,
        /// Retrieve, RetrieveMultiple (and linked tables), Update, SetState, Delete and Upsert need prv{Access}{table}
        /// from the caller's roles or grants, applied per row by depth and ownership (Security/RecordAccess.cs), and
        /// InstantiateTemplate and SendEmail their documented privileges (Security/MessagePrivileges.cs).
        /// </summary>
        public bool EnforceTablePrivileges { get; set; }

        /// <summary>Every request executed, in order, as a summary (see <see cref="ExecutedRequest"/>); a snapshot.</summary>
        public IReadOnlyList<ExecutedRequest> RequestLog => Log.Entries;

        /// <summary>
        /// False (default): the request log keeps a compact summary of each request and lets the request objects go.
        /// True: it also keeps each request object (and so the caller's entities and queries) for
        /// <see cref="ExecutedRequest.Request"/>, from the requests that run after it is set.
        /// </summary>
        public bool KeepRequestsInLog
        {
            get => Log.KeepRequests;
            set => Log.KeepRequests = value;
        }

        /// <summary>The text of every trace, in order (plugins' ITracingService and the harness's own notes).</summary>
        public IReadOnlyList<string> Traces
        {
            get
            {
                lock (_traces)
                {
                    return _traces.ToArray();
                }
            }
        }

        /// <summary>The same traces with the plugin type that wrote each one and its depth.</summary>
        public IReadOnlyList<TraceEntry> TraceLog
        {
            get
            {
                lock (_traces)
                {
                    return _traceLog.ToArray();
                }
            }
        }

        public IReadOnlyList<FailedAsyncOperation> FailedAsyncOperations => Pipeline.Async.Failed;

        public IReadOnlyList<StepRegistration> Steps => Pipeline.Steps.All;

        public IReadOnlyDictionary<string, CustomApiDefinition> CustomApis => _customApis;

        public void AdvanceTime(TimeSpan by) => UtcNow = UtcNow.Add(by);

        /// <summary>Async operations queued and not yet run.</summary>
        public int PendingAsyncOperationCount => Pipeline.Async.Count;

        /// <summary>Registers a step by hand (tests of the harness itself, or steps not in the solution).</summary>
        public void RegisterStep(StepRegistration step) => Pipeline.Steps.Register(step);

        /// <summary>Registers a custom API by hand.</summary>
        public void RegisterCustomApi(CustomApiDefinition api)
        {
            lock (_customApis)
            {
                _customApis[api.UniqueName] = api;
            }
        }

        /// <summary>
        /// Runs queued async steps (and any they queue in turn), each outside a transaction. A failing async plugin is
        /// recorded in <see cref="FailedAsyncOperations"/> and never fails the operation that triggered it.
        /// </summary>
        public int RunPendingAsyncOperations() => Pipeline.Async.RunPending();

        internal CustomApiDefinition? FindCustomApi(string messageName)
        {
            lock (_customApis)
            {
                return _customApis.TryGetValue(messageName, out var api) ? api : null;
            }
        }

        internal OrganizationResponse Execute(OrganizationRequest request, Caller caller, bool isInner) => Pipeline.Execute(request, caller, isInner);

        internal bool IsIntersect(string entityName) => entityName == "systemuserroles" || Metadata.IsIntersectEntity(entityName);

        internal void AddTrace(string text, string? pluginTypeName = null, int depth = 0)
        {
            lock (_traces)
            {
                _traces.Add(text);
                _traceLog.Add(new TraceEntry(pluginTypeName ?? "InMemoryDataverse", depth, text));
            }
        }

        // ---------------------------------------------------------------- seeding and services

        /// <summary>Seeds rows without running the pipeline (FakeXrmEasy's Initialize). Rows are cloned; ids are required or generated.</summary>
        public void Initialize(IEnumerable<Entity> entities)
        {
            if (entities == null)
            {
                throw new ArgumentNullException(nameof(entities));
            }

            // Seeding many rows: the first row's table makes room for all of them at once.
            var expectedRows = entities is ICollection<Entity> collection ? collection.Count : 0;
            foreach (var entity in entities)
            {
                Store.InsertCopy(entity, expectedRows);
                expectedRows = 0;
            }
        }

        public void Initialize(params Entity[] entities) => Initialize((IEnumerable<Entity>)entities);

        /// <summary>A service acting as SYSTEM, as a test or tool calling from outside the platform.</summary>
        public IOrganizationService GetOrganizationService() => CreateOrganizationService(null);

        /// <summary>A service acting as <paramref name="userId"/> (null = SYSTEM).</summary>
        public IOrganizationService CreateOrganizationService(Guid? userId)
        {
            var user = userId ?? SystemUserId;
            return new OrganizationService(this, new Caller(user, user, 0, null, null));
        }

        // ---------------------------------------------------------------- metadata

        public void DeclareAlternateKey(string entityName, string keyName, params string[] attributes)
        {
            var key = Metadata.DeclareAlternateKey(entityName, keyName, attributes);
            Store.IndexKey(key);
        }

        public void DeclareManyToMany(string relationshipName, string intersectEntity, string entity1, string entity1Attribute, string entity2, string entity2Attribute) =>
            Metadata.DeclareManyToMany(new ManyToManyRelationship(relationshipName, intersectEntity, entity1, entity1Attribute, entity2, entity2Attribute));

        public void DeclareActivityTable(string entityName) => Metadata.DeclareActivityTable(entityName);

        /// <summary>The status a table's state gets when an Update or SetState changes only the state (default: 0 -> 1, 1 -> 2).</summary>
        public void DeclareDefaultStatus(string entityName, int state, int status) => Metadata.DeclareDefaultStatus(entityName, state, status);

        /// <summary>The primary key column of a table (<c>activityid</c> for activities).</summary>
        public string PrimaryIdAttributeOf(string entityName) => Metadata.PrimaryIdAttribute(entityName);

        // ---------------------------------------------------------------- security

        /// <summary>Gives a user a role loaded from the solution's Roles/ (or defined with <see cref="DefineRole"/>).</summary>
        public void AssignRole(Guid userId, string roleName)
        {
            if (!_roles.TryGetValue(roleName, out var role))
            {
                throw new InvalidOperationException($"No role named '{roleName}' is known. Known roles: {string.Join(", ", _roles.Keys)}.");
            }

            if (!_userRoles.TryGetValue(userId, out var roles))
            {
                roles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                _userRoles.Add(userId, roles);
            }

            if (roles.Add(role.Name) && Store.Find("role", role.Id) != null)
            {
                Initialize(new Entity("systemuserroles") { ["systemuserid"] = userId, ["roleid"] = role.Id });
            }
        }

        public void GrantPrivilege(Guid userId, string privilegeName)
        {
            if (!_userPrivileges.TryGetValue(userId, out var privileges))
            {
                privileges = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                _userPrivileges.Add(userId, privileges);
            }

            privileges.Add(privilegeName);
        }

        /// <summary>Defines (or replaces) a role by hand, every privilege at organization depth (Global).</summary>
        public void DefineRole(string roleName, Guid roleId, params string[] privileges) =>
            DefineRole(roleName, roleId, privileges.ToDictionary(p => p, _ => PrivilegeDepth.Global, StringComparer.OrdinalIgnoreCase));

        /// <summary>Defines (or replaces) a role with the depth of each privilege, as Roles/*.xml gives them (LoadSolution uses this).</summary>
        public void DefineRole(string roleName, Guid roleId, IReadOnlyDictionary<string, PrivilegeDepth> privileges)
        {
            _roles[roleName] = new RoleDefinition(roleId, roleName, new Dictionary<string, PrivilegeDepth>(privileges.ToDictionary(p => p.Key, p => p.Value), StringComparer.OrdinalIgnoreCase));
            if (Store.Find("role", roleId) == null)
            {
                Initialize(new Entity("role", roleId) { ["name"] = roleName });
            }
        }

        public bool HasPrivilege(Guid userId, string privilegeName) => PrivilegeDepthOf(userId, privilegeName) != PrivilegeDepth.None;

        /// <summary>The deepest level at which the user holds the privilege (a direct grant counts as Global; SYSTEM has all).</summary>
        public PrivilegeDepth PrivilegeDepthOf(Guid userId, string privilegeName)
        {
            if (userId == SystemUserId || (_userPrivileges.TryGetValue(userId, out var direct) && direct.Contains(privilegeName)))
            {
                return PrivilegeDepth.Global;
            }

            var depth = PrivilegeDepth.None;
            if (_userRoles.TryGetValue(userId, out var roles))
            {
                foreach (var name in roles)
                {
                    if (_roles.TryGetValue(name, out var role) && role.Privileges.TryGetValue(privilegeName, out var level) && level > depth)
                    {
                        depth = level;
                    }
                }
            }

            return depth;
        }

        internal sealed class RoleDefinition
        {
            public RoleDefinition(Guid id, string name, Dictionary<string, PrivilegeDepth> privileges)
            {
                Id = id;
                Name = name;
                Privileges = privileges;
            }

            public Guid Id { get; }
            public string Name { get; }
            public Dictionary<string, PrivilegeDepth> Privileges { get; }
        }

        // ---------------------------------------------------------------- test hooks

        /// <summary>Adds or replaces the main operation of a message; registered steps still run around it.</summary>
        public void AddMessageHandler(string messageName, Func<OrganizationRequest, ExecutionInfo?, OrganizationResponse> handler) =>
            ReplacedHandlers[messageName] = new ReplacedMessageHandler(this, messageName, handler ?? throw new ArgumentNullException(nameof(handler)));

        /// <summary>Every request matching <paramref name="predicate"/> fails with this fault (as a FaultException), until <see cref="ClearFailures"/>.</summary>
        public void FailWhen(Func<OrganizationRequest, bool> predicate, OrganizationServiceFault fault) =>
            Failures.Add(predicate, () => new FaultException<OrganizationServiceFault>(fault, new FaultReason(fault.Message ?? "Injected fault")));

        /// <summary>Every request matching <paramref name="predicate"/> throws this exception, until <see cref="ClearFailures"/>.</summary>
        public void FailWhen(Func<OrganizationRequest, bool> predicate, Exception exception) => Failures.Add(predicate, () => exception);

        /// <summary>Requests with this message name fail with a fault of the given code and message.</summary>
        public void FailMessage(string messageName, int errorCode, string message) =>
            FailWhen(r => string.Equals(r.RequestName, messageName, StringComparison.OrdinalIgnoreCase), new OrganizationServiceFault { ErrorCode = errorCode, Message = message });

        public void ClearFailures() => Failures.Clear();

        public void ClearRequestLog() => Log.Clear();

        public void ClearTraces()
        {
            lock (_traces)
            {
                _traces.Clear();
                _traceLog.Clear();
            }
        }

        public int CountRequests(Func<ExecutedRequest, bool> predicate) => Log.Count(predicate);

        /// <summary>IOrganizationService calls made by plugin code (an ExecuteMultiple/ExecuteTransaction counts once), optionally of one plugin type.</summary>
        public int CountRoundTrips(string? pluginTypeName = null) =>
            Log.Count(r => r.IsRoundTripFromPlugin && (pluginTypeName == null || r.PluginTypeName == pluginTypeName));

        /// <summary>Requests with this message (any caller, inner ones included).</summary>
        public int CountRequests(string messageName, string? entityName = null) =>
            Log.Count(messageName, entityName);

        // ---------------------------------------------------------------- direct reads for assertions (no log, no pipeline)

        /// <summary>A copy of a stored row, or null; for assertions (not logged, not a request).</summary>
        public Entity? GetRecord(string entityName, Guid id)
        {
            var row = Store.Find(entityName, id);
            return row == null ? null : QueryEngine.ProjectRow(row, new ColumnSet(true), Metadata.PrimaryIdAttribute(entityName));
        }

        /// <summary>Copies of every stored row of a table; for assertions.</summary>
        public IReadOnlyList<Entity> GetRecords(string entityName)
        {
            var primaryId = Metadata.PrimaryIdAttribute(entityName);
            return Store.Rows(entityName).Select(r => QueryEngine.ProjectRow(r, new ColumnSet(true), primaryId)).ToList();
        }

        /// <summary>Runs a query directly against the store (not logged, no pipeline); for assertions and tools.</summary>
        public EntityCollection Query(QueryBase query) => Queries.Execute(QueryEngine.ToQueryExpression(query));

        // ---------------------------------------------------------------- FakeXrmEasy-style direct plugin execution

        /// <summary>A context filled as the pipeline would for a call by SYSTEM at depth 1 (stage 40, sync).</summary>
        public PluginExecutionContext GetDefaultPluginContext() => new PluginExecutionContext
        {
            UserId = SystemUserId,
            InitiatingUserId = SystemUserId,
            BusinessUnitId = BusinessUnitId,
            OrganizationId = OrganizationId,
            OperationCreatedOn = UtcNow,
            Depth = 1,
            Stage = PipelineStages.PostOperation,
            IsInTransaction = true,
        };

        /// <summary>Runs one plugin outside the pipeline with a hand-built context; its service calls go through this organization.</summary>
        public TPlugin ExecutePluginWith<TPlugin>(PluginExecutionContext context, string? unsecureConfiguration = null, string? secureConfiguration = null)
            where TPlugin : IPlugin
        {
            var plugin = (TPlugin)PluginInvoker.Create(typeof(TPlugin), unsecureConfiguration, secureConfiguration);
            ExecutePluginWith(plugin, context);
            return plugin;
        }

        /// <summary>Runs a given plugin instance with a hand-built context.</summary>
        public void ExecutePluginWith(IPlugin plugin, PluginExecutionContext context)
        {
            Pipeline.Plugins.Invoke(plugin, context, plugin.GetType().FullName ?? plugin.GetType().Name);
        }

        /// <summary>Runs a plugin for a message with <paramref name="target"/> as Target, FakeXrmEasy's ExecutePluginWithTarget.</summary>
        public TPlugin ExecutePluginWithTarget<TPlugin>(Entity target, string messageName = "Create", int stage = PipelineStages.PostOperation)
            where TPlugin : IPlugin
        {
            var context = GetDefaultPluginContext();
            context.MessageName = messageName;
            context.Stage = stage;
            context.PrimaryEntityName = target.LogicalName;
            context.PrimaryEntityId = target.Id;
            context.InputParameters["Target"] = target;
            return ExecutePluginWith<TPlugin>(context);
        }
    }
}
