using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using System.Text.RegularExpressions;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    public sealed partial class InMemoryOrganization
    {
        // Messages that only read: a failure of one does not end the surrounding transaction.
        private static readonly HashSet<string> ReadOnlyMessages = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Retrieve", "RetrieveMultiple", "WhoAmI", "InstantiateTemplate",
        };

        private readonly List<StepRegistration> _steps = new List<StepRegistration>();
        private readonly Dictionary<string, CustomApiDefinition> _customApis = new Dictionary<string, CustomApiDefinition>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<object, IPlugin> _pluginInstances = new Dictionary<object, IPlugin>();
        private readonly List<PendingAsync> _asyncInTransaction = new List<PendingAsync>();
        private readonly Queue<PendingAsync> _pendingAsync = new Queue<PendingAsync>();
        private bool _transactionDoomed;

        private sealed class PendingAsync
        {
            public PendingAsync(StepRegistration step, PluginExecutionContext context)
            {
                Step = step;
                Context = context;
            }

            public StepRegistration Step { get; }
            public PluginExecutionContext Context { get; }
        }

        /// <summary>Async operations queued and not yet run.</summary>
        public int PendingAsyncOperationCount => _pendingAsync.Count;

        /// <summary>Registers a step by hand (tests of the harness itself, or steps not in the solution).</summary>
        public void RegisterStep(StepRegistration step)
        {
            if (step.Mode == 1 && step.Stage != 40)
            {
                throw new ArgumentException("Asynchronous steps can only be registered in PostOperation (stage 40).", nameof(step));
            }

            _steps.Add(step);
        }

        /// <summary>Registers a custom API by hand.</summary>
        public void RegisterCustomApi(CustomApiDefinition api) => _customApis[api.UniqueName] = api;

        /// <summary>
        /// Runs queued async steps (and any they queue in turn), each outside a transaction. A failing async plugin is
        /// recorded in <see cref="FailedAsyncOperations"/> and never fails the operation that triggered it.
        /// </summary>
        public int RunPendingAsyncOperations()
        {
            var count = 0;
            while (_pendingAsync.Count > 0)
            {
                var pending = _pendingAsync.Dequeue();
                count++;
                try
                {
                    InvokeStep(pending.Step, pending.Context);
                }
                catch (Exception exception)
                {
                    _failedAsync.Add(new FailedAsyncOperation(pending.Step.Name, pending.Context.MessageName, pending.Context.PrimaryEntityId, exception));
                    AddTrace($"Async step '{pending.Step.Name}' failed: {exception.Message}");
                }
            }

            return count;
        }

        internal void AddTrace(string text, string? pluginTypeName = null, int depth = 0)
        {
            _traces.Add(text);
            _traceLog.Add(new TraceEntry(pluginTypeName ?? "InMemoryDataverse", depth, text));
        }

        internal OrganizationResponse Execute(OrganizationRequest request, Caller caller, bool isInner)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            if (string.IsNullOrEmpty(request.RequestName))
            {
                throw new NotSupportedException($"The in-memory organization cannot execute a request without RequestName (type {request.GetType().FullName}).");
            }

            var depth = caller.Depth + 1;
            var (entityName, entityId) = Describe(request);
            var entry = new ExecutedRequest(_requestLog.Count + 1, request.RequestName, entityName, entityId, depth, caller.UserId, caller.PluginTypeName, isInner, request);
            _requestLog.Add(entry);
            var insideTransaction = _store.InTransaction;
            try
            {
                if (depth > MaxDepth)
                {
                    throw Faults.Create(ErrorCodes.IsvAborted,
                        "This workflow job was canceled because the workflow that started it included an infinite loop. Correct the workflow logic and try again.");
                }

                foreach (var (predicate, failure) in _failures.ToList())
                {
                    if (predicate(request))
                    {
                        throw failure();
                    }
                }

                switch (request.RequestName)
                {
                    case "ExecuteMultiple":
                        return ExecuteMultiple(request, caller);
                    case "ExecuteTransaction":
                        return ExecuteTransaction(request, caller);
                    default:
                        CheckTablePrivileges(request, caller.UserId);
                        return RunPipeline(request, new Caller(caller.UserId, caller.InitiatingUserId, depth, caller.ParentContext, caller.PluginTypeName));
                }
            }
            catch (Exception exception)
            {
                entry.Failure = exception;
                if (insideTransaction && !ReadOnlyMessages.Contains(request.RequestName))
                {
                    // Dataverse ends the whole transaction when a data operation fails inside it.
                    _transactionDoomed = true;
                }

                throw;
            }
        }

        /// <summary>
        /// Opt-in (<see cref="EnforceTablePrivileges"/>): CRUD needs prv{Create|Read|Write|Delete}{table} for callers other
        /// than SYSTEM, by name only (no depth: Basic and Global are the same here, and ownership is not modelled).
        /// </summary>
        private void CheckTablePrivileges(OrganizationRequest request, Guid userId)
        {
            if (!EnforceTablePrivileges || userId == SystemUserId)
            {
                return;
            }

            var (entityName, _) = Describe(request);
            if (entityName == null)
            {
                return;
            }

            var needed = new List<string>();
            switch (request.RequestName)
            {
                case "Create": needed.Add("Create"); break;
                case "Retrieve": needed.Add("Read"); break;
                case "RetrieveMultiple": needed.Add("Read"); break;
                case "Update": needed.Add("Write"); break;
                case "SetState": needed.Add("Write"); break;
                case "Delete": needed.Add("Delete"); break;
                case "Upsert": needed.Add("Create"); needed.Add("Write"); break;
                default: return;
            }

            var tables = new List<string> { entityName };
            if (request.RequestName == "RetrieveMultiple" && request.Parameters.Contains("Query") && request.Parameters["Query"] is QueryBase query)
            {
                tables.AddRange(LinkedTables(ToQueryExpression(query).LinkEntities));
            }

            foreach (var table in tables.Distinct())
            {
                foreach (var access in needed)
                {
                    var privilege = "prv" + access + PrivilegeStem(table);
                    if (!HasPrivilege(userId, privilege))
                    {
                        throw Faults.Create(ErrorCodes.PrivilegeDenied, $"Principal user (Id={userId}, type=8) is missing {privilege} privilege.");
                    }
                }
            }
        }

        /// <summary>
        /// The table's part of its privilege names. Dataverse names most after the table, but not all: systemuser's
        /// are prvReadUser, prvWriteUser…, and every activity table shares prvReadActivity, prvCreateActivity….
        /// </summary>
        internal static string PrivilegeStem(string table) => table switch
        {
            "systemuser" => "User",
            "activitypointer" or "email" or "phonecall" or "task" or "appointment" or "letter" or "fax" => "Activity",
            _ => table,
        };

        private static IEnumerable<string> LinkedTables(IEnumerable<LinkEntity> links) =>
            links.SelectMany(l => new[] { l.LinkToEntityName }.Concat(LinkedTables(l.LinkEntities)));

        private OrganizationResponse ExecuteMultiple(OrganizationRequest request, Caller caller)
        {
            var requests = (OrganizationRequestCollection)request.Parameters["Requests"];
            var settings = request.Parameters.Contains("Settings") ? (ExecuteMultipleSettings)request.Parameters["Settings"] : new ExecuteMultipleSettings();
            var response = new ExecuteMultipleResponse();
            var items = new ExecuteMultipleResponseItemCollection();
            var faulted = false;
            for (var i = 0; i < requests.Count; i++)
            {
                try
                {
                    var inner = Execute(requests[i], caller, isInner: true);
                    if (settings.ReturnResponses)
                    {
                        items.Add(new ExecuteMultipleResponseItem { RequestIndex = i, Response = inner });
                    }
                }
                catch (FaultException<OrganizationServiceFault> fault)
                {
                    faulted = true;
                    items.Add(new ExecuteMultipleResponseItem { RequestIndex = i, Fault = fault.Detail });
                    if (!settings.ContinueOnError)
                    {
                        break;
                    }
                }
            }

            response.Results["Responses"] = items;
            response.Results["IsFaulted"] = faulted;
            return response;
        }

        private OrganizationResponse ExecuteTransaction(OrganizationRequest request, Caller caller)
        {
            var requests = (OrganizationRequestCollection)request.Parameters["Requests"];
            var returnResponses = request.Parameters.Contains("ReturnResponses") && request.Parameters["ReturnResponses"] is bool b && b;
            var owns = !_store.InTransaction;
            if (owns)
            {
                _store.Begin();
            }

            var responses = new OrganizationResponseCollection();
            try
            {
                for (var i = 0; i < requests.Count; i++)
                {
                    try
                    {
                        var inner = Execute(requests[i], caller, isInner: true);
                        if (returnResponses)
                        {
                            responses.Add(inner);
                        }
                    }
                    catch (FaultException<OrganizationServiceFault> fault)
                    {
                        throw Faults.Create(fault.Detail.ErrorCode, $"{fault.Detail.Message} (ExecuteTransaction request index {i}; nothing was saved)");
                    }
                }

                if (owns)
                {
                    Commit();
                }
            }
            catch
            {
                if (owns)
                {
                    Rollback();
                }

                throw;
            }

            var response = new ExecuteTransactionResponse();
            response.Results["Responses"] = responses;
            return response;
        }

        private void Commit()
        {
            _store.Commit();
            _transactionDoomed = false;
            foreach (var pending in _asyncInTransaction)
            {
                _pendingAsync.Enqueue(pending);
            }

            _asyncInTransaction.Clear();
        }

        private void Rollback()
        {
            _store.Rollback();
            _transactionDoomed = false;
            _asyncInTransaction.Clear();
        }

        /// <summary>The event pipeline of one message: 10 (outside the transaction when it starts one), 20, 30, 40 sync, commit, async.</summary>
        private OrganizationResponse RunPipeline(OrganizationRequest request, Caller caller)
        {
            var messageName = request.RequestName;
            _customApis.TryGetValue(messageName, out var api);
            var mainOperation = ResolveMainOperation(request, api);
            if (api != null)
            {
                CheckExecutePrivilege(api, caller.UserId);
                ValidateCustomApiInputs(api, request);
                messageName = api.UniqueName;
            }

            var context = new PluginExecutionContext
            {
                MessageName = messageName,
                Depth = caller.Depth,
                UserId = caller.UserId,
                InitiatingUserId = caller.InitiatingUserId,
                BusinessUnitId = BusinessUnitId,
                OrganizationId = OrganizationId,
                OperationCreatedOn = UtcNow,
                ParentContext = caller.ParentContext,
                RequestId = request.RequestId,
                Mode = 0,
            };
            foreach (var pair in request.Parameters)
            {
                context.InputParameters[pair.Key] = ValueSemantics.CloneValue(pair.Value);
            }

            PrepareTarget(context, api);
            var steps = MatchingSteps(context);
            var owns = !_store.InTransaction;
            if (owns)
            {
                context.IsInTransaction = false;
                RunStage(steps, 10, context, null);
                _store.Begin();
            }

            try
            {
                context.IsInTransaction = true;
                if (!owns)
                {
                    RunStage(steps, 10, context, null);
                }

                var preImage = Snapshot(context);
                RunStage(steps, 20, context, preImage);
                var response = mainOperation(context, caller);
                foreach (var pair in response.Results)
                {
                    context.OutputParameters[pair.Key] = pair.Value;
                }

                var postImage = Snapshot(context);
                RunStage(steps, 40, context, preImage, postImage);
                foreach (var step in steps.Where(s => s.Mode == 1 && s.Stage == 40))
                {
                    var asyncContext = BuildStepContext(step, context, preImage, postImage);
                    asyncContext.IsInTransaction = false;
                    _asyncInTransaction.Add(new PendingAsync(step, asyncContext));
                }

                if (api != null)
                {
                    ValidateCustomApiOutputs(api, context.OutputParameters);
                }

                if (owns)
                {
                    if (_transactionDoomed && FailOperationsThatSwallowNestedWriteFaults)
                    {
                        throw Faults.Create(ErrorCodes.IsvReducedTransactionCount,
                            "ISV code reduced the open transaction count. Custom plug-ins should not catch exceptions from OrganizationService calls and continue processing.");
                    }

                    Commit();
                }

                // The handlers built fresh copies; after the pipeline nothing else holds them, so no second copy is needed.
                response.Results.Clear();
                foreach (var pair in context.OutputParameters)
                {
                    response.Results[pair.Key] = pair.Value;
                }

                if (owns && RunAsyncStepsImmediately)
                {
                    RunPendingAsyncOperations();
                }

                return response;
            }
            catch
            {
                if (owns)
                {
                    Rollback();
                }

                throw;
            }
        }

        /// <summary>Fills PrimaryEntityName/Id from the Target (resolving alternate keys to the id, as the platform does).</summary>
        private void PrepareTarget(PluginExecutionContext context, CustomApiDefinition? api)
        {
            var input = context.InputParameters;
            object? target = input.Contains("Target") ? input["Target"] : input.Contains("EntityMoniker") ? input["EntityMoniker"] : null;
            switch (target)
            {
                case Entity entity:
                    context.PrimaryEntityName = entity.LogicalName;
                    if (entity.Id == Guid.Empty && entity.KeyAttributes.Count > 0 && context.MessageName != "Create")
                    {
                        var found = FindIdByKeys(entity.LogicalName, entity.KeyAttributes);
                        if (found.HasValue)
                        {
                            entity.Id = found.Value;
                        }
                    }

                    context.PrimaryEntityId = context.MessageName == "Create" ? Guid.Empty : entity.Id;
                    break;
                case EntityReference reference:
                    context.PrimaryEntityName = reference.LogicalName;
                    if (reference.Id == Guid.Empty && reference.KeyAttributes.Count > 0)
                    {
                        reference.Id = FindIdByKeys(reference.LogicalName, reference.KeyAttributes)
                            ?? throw Faults.DoesNotExistByKey(reference.LogicalName, DescribeKeys(reference.KeyAttributes));
                    }

                    context.PrimaryEntityId = reference.Id;
                    break;
                default:
                    if (api != null && api.BindingType == 0)
                    {
                        context.PrimaryEntityName = "none";
                    }

                    break;
            }
        }

        private List<StepRegistration> MatchingSteps(PluginExecutionContext context)
        {
            var result = new List<StepRegistration>();
            foreach (var step in _steps)
            {
                if (!string.Equals(step.MessageName, context.MessageName, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!string.IsNullOrEmpty(step.PrimaryEntity) && step.PrimaryEntity != "none" && step.PrimaryEntity != context.PrimaryEntityName)
                {
                    continue;
                }

                if (step.FilteringAttributes.Count > 0 && context.MessageName == "Update"
                    && context.InputParameters.Contains("Target") && context.InputParameters["Target"] is Entity target
                    && !step.FilteringAttributes.Any(a => target.Attributes.ContainsKey(a)))
                {
                    continue;
                }

                result.Add(step);
            }

            return result.OrderBy(s => s.Stage).ThenBy(s => s.Rank).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
        }

        private void RunStage(List<StepRegistration> steps, int stage, PluginExecutionContext context, Entity? preImage, Entity? postImage = null)
        {
            foreach (var step in steps)
            {
                if (step.Stage != stage || step.Mode != 0)
                {
                    continue;
                }

                var stepContext = BuildStepContext(step, context, stage == 10 ? Snapshot(context) : preImage, stage == 40 ? postImage : null);
                InvokeStep(step, stepContext);
            }
        }

        private PluginExecutionContext BuildStepContext(StepRegistration step, PluginExecutionContext context, Entity? preImage, Entity? postImage)
        {
            var stepContext = context.CopyForStage(step.Stage, step.Mode);
            stepContext.StepName = step.Name;
            foreach (var image in step.Images)
            {
                if ((image.ImageType == 0 || image.ImageType == 2) && preImage != null && context.MessageName != "Create")
                {
                    stepContext.PreEntityImages[image.EntityAlias] = ImageOf(preImage, image.Attributes);
                }

                if ((image.ImageType == 1 || image.ImageType == 2) && postImage != null && step.Stage == 40)
                {
                    stepContext.PostEntityImages[image.EntityAlias] = ImageOf(postImage, image.Attributes);
                }
            }

            return stepContext;
        }

        private Entity ImageOf(Entity row, IReadOnlyCollection<string> attributes)
        {
            var columns = attributes.Count == 0 ? new ColumnSet(true) : new ColumnSet(attributes.ToArray());
            return QueryEngine.ProjectRow(row, columns, _metadata.PrimaryIdAttribute(row.LogicalName));
        }

        private Entity? Snapshot(PluginExecutionContext context)
        {
            if (context.PrimaryEntityId == Guid.Empty || string.IsNullOrEmpty(context.PrimaryEntityName) || context.PrimaryEntityName == "none")
            {
                return null;
            }

            var row = _store.Find(context.PrimaryEntityName, context.PrimaryEntityId);
            return row == null ? null : ValueSemantics.CloneEntity(row);
        }

        private void InvokeStep(StepRegistration step, PluginExecutionContext context)
        {
            var plugin = GetPluginInstance(step.Id, step.PluginType, step.UnsecureConfiguration, step.SecureConfiguration);
            InvokePlugin(plugin, context, step.PluginType.FullName ?? step.PluginType.Name);
        }

        /// <summary>Runs a plugin and turns its exceptions into the fault a caller of the platform sees.</summary>
        private void InvokePlugin(IPlugin plugin, PluginExecutionContext context, string pluginTypeName)
        {
            try
            {
                plugin.Execute(new PluginServiceProvider(this, context, pluginTypeName));
            }
            catch (InvalidPluginExecutionException exception)
            {
                throw Faults.FromPluginException(exception);
            }
            catch (FaultException<OrganizationServiceFault>)
            {
                throw;
            }
            catch (NotSupportedException)
            {
                throw;
            }
            catch (Exception exception)
            {
                throw Faults.Create(ErrorCodes.IsvUnexpected,
                    $"Unexpected exception from plug-in (Execute): {pluginTypeName}: {exception.GetType().FullName}: {exception.Message}");
            }
        }

        /// <summary>One instance per step, kept for the organization's lifetime, as the platform caches them.</summary>
        private IPlugin GetPluginInstance(object cacheKey, Type pluginType, string? unsecure, string? secure)
        {
            if (!_pluginInstances.TryGetValue(cacheKey, out var plugin))
            {
                plugin = CreatePlugin(pluginType, unsecure, secure);
                _pluginInstances.Add(cacheKey, plugin);
            }

            return plugin;
        }

        private static IPlugin CreatePlugin(Type pluginType, string? unsecure, string? secure)
        {
            var twoStrings = pluginType.GetConstructor(new[] { typeof(string), typeof(string) });
            if (twoStrings != null)
            {
                return (IPlugin)twoStrings.Invoke(new object?[] { unsecure, secure });
            }

            var oneString = pluginType.GetConstructor(new[] { typeof(string) });
            if (oneString != null)
            {
                return (IPlugin)oneString.Invoke(new object?[] { unsecure });
            }

            return (IPlugin)(Activator.CreateInstance(pluginType)
                ?? throw new InvalidOperationException($"Cannot create plugin {pluginType.FullName}."));
        }

        private static (string? EntityName, Guid? EntityId) Describe(OrganizationRequest request)
        {
            var parameters = request.Parameters;
            object? subject = parameters.Contains("Target") ? parameters["Target"]
                : parameters.Contains("EntityMoniker") ? parameters["EntityMoniker"]
                : parameters.Contains("Query") ? parameters["Query"]
                : null;
            switch (subject)
            {
                case Entity entity: return (entity.LogicalName, entity.Id == Guid.Empty ? (Guid?)null : entity.Id);
                case EntityReference reference: return (reference.LogicalName, reference.Id == Guid.Empty ? (Guid?)null : reference.Id);
                case QueryExpression query: return (query.EntityName, null);
                case QueryByAttribute query: return (query.EntityName, null);
                case FetchExpression fetch:
                    var match = Regex.Match(fetch.Query ?? string.Empty, "<entity\\s+name=[\"']([^\"']+)[\"']");
                    return (match.Success ? match.Groups[1].Value : null, null);
            }

            if (request.RequestName == "SendEmail" && parameters.Contains("EmailId") && parameters["EmailId"] is Guid emailId)
            {
                return ("email", emailId);
            }

            if (request.RequestName == "InstantiateTemplate" && parameters.Contains("TemplateId") && parameters["TemplateId"] is Guid templateId)
            {
                return ("template", templateId);
            }

            return (null, null);
        }
    }
}
