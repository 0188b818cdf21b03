using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// Runs requests as the platform does: the request log, the depth limit and injected faults first, then the event
    /// pipeline of the message (stage 10, transaction, 20, main operation 30, 40, commit, async steps queued).
    /// </summary>
    internal sealed class PipelineRunner
    {
        private readonly InMemoryOrganization _organization;
        private readonly EntityStore _store;

        public PipelineRunner(InMemoryOrganization organization)
        {
            _organization = organization;
            _store = organization.Store;
            Steps = new StepCatalog();
            Plugins = new PluginInvoker(organization);
            Async = new AsyncOperationQueue(organization, Plugins);
        }

        public StepCatalog Steps { get; }

        public PluginInvoker Plugins { get; }

        public AsyncOperationQueue Async { get; }

        /// <summary>One request from a caller (or an inner request of a batch): logged, checked, dispatched.</summary>
        public OrganizationResponse Execute(OrganizationRequest request, Caller caller, bool isInner)
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
            var logged = _organization.Log.Add(request, depth, caller, isInner);
            var transaction = _store.CurrentTransaction;
            try
            {
                if (depth > _organization.MaxDepth)
                {
                    throw Faults.Create(ErrorCodes.IsvAborted,
                        "This workflow job was canceled because the workflow that started it included an infinite loop. Correct the workflow logic and try again.");
                }

                _organization.Failures.ThrowIfInjected(request);
                var handler = _organization.Messages.Find(request.RequestName);
                if (handler != null && !handler.RunsThroughPipeline)
                {
                    return handler.ExecuteBatch(request, caller);
                }

                return Run(request, caller.AtDepth(depth));
            }
            catch (Exception exception)
            {
                _organization.Log.RecordFailure(logged, exception);
                if (transaction != null && !_organization.Messages.ReadsOnly(request.RequestName))
                {
                    // Dataverse ends the whole transaction when a data operation fails inside it.
                    transaction.Doomed = true;
                }

                throw;
            }
        }

        /// <summary>The event pipeline of one message, for a caller already at the operation's depth.</summary>
        public OrganizationResponse Run(OrganizationRequest request, Caller caller)
        {
            var operation = ResolveMainOperation(request);
            var options = OptionalParameters.Read(_organization, request, caller.UserId);
            if (operation.CustomApi == null && operation.Handler.ReadsOnly && !Steps.AnyFor(request.RequestName))
            {
                TablePrivileges.Check(_organization, request, caller.UserId);
                return RunRead(request, caller, operation);
            }

            return RunInPipeline(request, caller, operation, options);
        }

        /// <summary>Stage 10, then the transaction with stages 20 to 40 (its own method: the lambda's closure is not made for reads).</summary>
        private OrganizationResponse RunInPipeline(OrganizationRequest request, Caller caller, MainOperation operation, OptionalParameters options)
        {
            var context = NewOperationContext(request, caller, operation, options);
            var steps = options.Filter(Steps.Matching(context));
            var owns = _store.CurrentTransaction == null;
            // PreValidation runs "before Dataverse even checks whether the calling user has permission" (Microsoft Learn,
            // "Demonstrate the use of the different event execution pipeline stages"): the privilege check comes after it.
            if (owns)
            {
                context.IsInTransaction = false;
                RunStage(steps, PipelineStages.PreValidation, context, null, null);
                TablePrivileges.Check(_organization, request, caller.UserId);
            }

            return InTransaction(() =>
            {
                context.IsInTransaction = true;
                if (!owns)
                {
                    RunStage(steps, PipelineStages.PreValidation, context, null, null);
                    TablePrivileges.Check(_organization, request, caller.UserId);
                }

                var response = RunInsideTransaction(operation, steps, options, context, caller);
                if (owns)
                {
                    ThrowIfTransactionSwallowedAFault();
                }

                return response;
            }, afterCommit: owns && _organization.RunAsyncStepsImmediately ? () => Async.RunPending() : (Action?)null);
        }

        /// <summary>The context of the main operation, as the platform fills it for the caller of this request.</summary>
        private PluginExecutionContext FillContext(PluginExecutionContext context, OrganizationRequest request, Caller caller, MainOperation operation)
        {
            context.MessageName = operation.MessageName;
            context.Depth = caller.Depth;
            context.UserId = caller.UserId;
            context.InitiatingUserId = caller.InitiatingUserId;
            context.BusinessUnitId = _organization.BusinessUnitId;
            context.OrganizationId = _organization.OrganizationId;
            context.OperationCreatedOn = _organization.UtcNow;
            context.ParentContext = caller.ParentContext;
            context.RequestId = request.RequestId;
            return context;
        }

        // One context per thread for reads no step sees: no plugin can keep it, so it is filled, used and emptied again.
        [ThreadStatic]
        private static PluginExecutionContext? _spareReadContext;

        /// <summary>
        /// A read no step is registered for: no transaction, no copy of the parameters (the handler only reads them),
        /// no images, and no new context (this thread's spare one, emptied afterwards so it holds none of the caller's
        /// objects). What the caller gets is the handler's fresh copy.
        /// </summary>
        private OrganizationResponse RunRead(OrganizationRequest request, Caller caller, MainOperation operation)
        {
            var context = _spareReadContext ?? new PluginExecutionContext();
            _spareReadContext = null; // a read nested in this one (none today) would make its own
            try
            {
                FillContext(context, request, caller, operation);
                context.InputParameters = request.Parameters;
                if (HasKeyedTarget(request))
                {
                    // Resolving the key sets the id: on a copy, never on the caller's object.
                    context.InputParameters = new ParameterCollection();
                    foreach (var pair in request.Parameters)
                    {
                        context.InputParameters[pair.Key] = ValueSemantics.CloneValue(pair.Value);
                    }
                }

                PrepareTarget(context, isGlobalCustomApi: false);
                return operation.Handler.Execute(context, caller);
            }
            finally
            {
                context.Reset();
                _spareReadContext = context;
            }
        }

        /// <summary>Runs <paramref name="body"/> in the open transaction, or in a new one it commits (or rolls back on a throw).</summary>
        public void InTransaction(Action body) => InTransaction(() =>
        {
            body();
            return 0;
        }, afterCommit: null);

        private T InTransaction<T>(Func<T> body, Action? afterCommit)
        {
            var transaction = _store.CurrentTransaction;
            if (transaction != null)
            {
                return body();
            }

            transaction = _store.Begin();
            T result;
            try
            {
                result = body();
                _store.Commit(transaction);
            }
            catch
            {
                _store.Rollback(transaction);
                throw;
            }

            Async.Enqueue(transaction.AsyncOperations);
            afterCommit?.Invoke();
            return result;
        }

        /// <summary>Stages 20, 30 and 40, in two passes for an Update that changes the state with other columns (see <see cref="StateChangeInUpdate"/>).</summary>
        private OrganizationResponse RunInsideTransaction(MainOperation operation, List<StepRegistration> steps, OptionalParameters options, PluginExecutionContext context, Caller caller)
        {
            var passes = steps.Count == 0 ? null : StateChangeInUpdate.Passes(context, _organization.Metadata.PrimaryIdAttribute(context.PrimaryEntityName));
            if (passes == null)
            {
                return RunMainOperation(operation, steps, context, caller);
            }

            var inputs = context.InputParameters;
            OrganizationResponse? response = null;
            foreach (var target in passes)
            {
                if (response != null)
                {
                    // The first pass wrote a new version of the row: the second is not a stale write of the same operation.
                    target.RowVersion = _store.Find(target.LogicalName, target.Id)?.RowVersion;
                }

                context.InputParameters = StateChangeInUpdate.InputsOfPass(inputs, target);
                response = RunMainOperation(operation, options.Filter(Steps.Matching(context)), context, caller);
            }

            context.InputParameters = inputs;
            return response!;
        }

        private OrganizationResponse RunMainOperation(MainOperation operation, List<StepRegistration> steps, PluginExecutionContext context, Caller caller)
        {
            var wantsImages = NeedImages(steps);
            var preImage = wantsImages ? Snapshot(context) : null;
            RunStage(steps, PipelineStages.PreOperation, context, preImage, null);
            var response = operation.Handler.Execute(context, caller);
            foreach (var pair in response.Results)
            {
                context.OutputParameters[pair.Key] = pair.Value;
            }

            var postImage = wantsImages ? Snapshot(context) : null;
            RunStage(steps, PipelineStages.PostOperation, context, preImage, postImage);
            QueueAsyncSteps(steps, context, preImage, postImage);
            operation.CustomApi?.ValidateOutputs(context.OutputParameters);

            // The handlers built fresh copies; after the pipeline nothing else holds them, so no second copy is needed.
            response.Results.Clear();
            foreach (var pair in context.OutputParameters)
            {
                response.Results[pair.Key] = pair.Value;
            }

            return response;
        }

        /// <summary>
        /// A target named by alternate key (and no id): resolving it sets the id, which must not reach the caller's
        /// object. The id is looked at first: a target with an id is never resolved by key, and its KeyAttributes stay untouched.
        /// </summary>
        private static bool HasKeyedTarget(OrganizationRequest request) =>
            request.Parameters.TryGetValue("Target", out var target)
            && ((target is EntityReference reference && reference.Id == Guid.Empty && reference.KeyAttributes.Count > 0)
                || (target is Entity entity && entity.Id == Guid.Empty && entity.KeyAttributes.Count > 0));

        private static bool NeedImages(List<StepRegistration> steps)
        {
            foreach (var step in steps)
            {
                if (step.Images.Count > 0 || step.Stage == PipelineStages.PreValidation)
                {
                    return true;
                }
            }

            return false;
        }

        private void ThrowIfTransactionSwallowedAFault()
        {
            if (_store.CurrentTransaction!.Doomed && _organization.FailOperationsThatSwallowNestedWriteFaults)
            {
                throw Faults.Create(ErrorCodes.IsvReducedTransactionCount,
                    "ISV code reduced the open transaction count. Custom plug-ins should not catch exceptions from OrganizationService calls and continue processing.");
            }
        }

        /// <summary>What runs at stage 30 (a value: resolving it allocates nothing for a built-in message).</summary>
        private readonly struct MainOperation
        {
            public MainOperation(MessageHandler handler, CustomApiMessage? customApi, string messageName)
            {
                Handler = handler;
                CustomApi = customApi;
                MessageName = messageName;
            }

            public MessageHandler Handler { get; }

            public CustomApiMessage? CustomApi { get; }

            public string MessageName { get; }
        }

        /// <summary>Stage 30: a replaced handler, the custom API's plugin, or the built-in platform operation.</summary>
        private MainOperation ResolveMainOperation(OrganizationRequest request)
        {
            var name = request.RequestName;
            var api = _organization.FindCustomApi(name);
            var customApi = api == null ? null : new CustomApiMessage(_organization, api);
            if (_organization.ReplacedHandlers.TryGetValue(name, out var replaced))
            {
                return new MainOperation(replaced, customApi, api?.UniqueName ?? name);
            }

            if (customApi != null)
            {
                return new MainOperation(customApi, customApi, api!.UniqueName);
            }

            var handler = _organization.Messages.Find(name)
                ?? throw new NotSupportedException(
                    $"The in-memory organization does not support the message '{name}' (request type {request.GetType().FullName}). " +
                    "Load a custom API that defines it, or add a handler with AddMessageHandler.");
            return new MainOperation(handler, null, name);
        }

        private PluginExecutionContext NewOperationContext(OrganizationRequest request, Caller caller, MainOperation operation, OptionalParameters options)
        {
            if (operation.CustomApi != null)
            {
                operation.CustomApi.CheckExecutePrivilege(caller);
                operation.CustomApi.ValidateInputs(request);
            }

            var context = FillContext(new PluginExecutionContext(), request, caller, operation);
            context.Mode = StepModes.Synchronous;
            if (operation.CustomApi == null && !Steps.AnyFor(request.RequestName) && !HasKeyedTarget(request))
            {
                // No plugin will see the parameters and the handlers copy what they store: no copy needed.
                context.InputParameters = request.Parameters;
            }
            else
            {
                foreach (var pair in request.Parameters)
                {
                    if (!OptionalParameters.IsOptional(pair.Key))
                    {
                        context.InputParameters[pair.Key] = ValueSemantics.CloneValue(pair.Value);
                    }
                }
            }

            if (options.TagValue != null)
            {
                context.SharedVariables[OptionalParameters.Tag] = options.TagValue;
            }

            PrepareTarget(context, operation.CustomApi?.Definition.BindingType == CustomApiBindingTypes.Global);
            return context;
        }

        /// <summary>Fills PrimaryEntityName/Id from the Target (resolving alternate keys to the id, as the platform does).</summary>
        private void PrepareTarget(PluginExecutionContext context, bool isGlobalCustomApi)
        {
            var input = context.InputParameters;
            object? target = input.Contains("Target") ? input["Target"] : input.Contains("EntityMoniker") ? input["EntityMoniker"] : null;
            switch (target)
            {
                case Entity entity:
                    context.PrimaryEntityName = entity.LogicalName;
                    if (entity.Id == Guid.Empty && entity.KeyAttributes.Count > 0 && context.MessageName != MessageNames.Create)
                    {
                        var found = _store.FindIdByKeys(entity.LogicalName, entity.KeyAttributes);
                        if (found.HasValue)
                        {
                            entity.Id = found.Value;
                        }
                    }

                    context.PrimaryEntityId = context.MessageName == MessageNames.Create ? Guid.Empty : entity.Id;
                    break;
                case EntityReference reference:
                    context.PrimaryEntityName = reference.LogicalName;
                    if (reference.Id == Guid.Empty && reference.KeyAttributes.Count > 0)
                    {
                        reference.Id = _store.FindIdByKeys(reference.LogicalName, reference.KeyAttributes)
                            ?? throw Faults.DoesNotExistByKey(reference.LogicalName, EntityStore.DescribeKeys(reference.KeyAttributes));
                    }

                    context.PrimaryEntityId = reference.Id;
                    break;
                default:
                    if (isGlobalCustomApi)
                    {
                        context.PrimaryEntityName = "none";
                    }

                    break;
            }
        }

        private void RunStage(List<StepRegistration> steps, int stage, PluginExecutionContext context, Entity? preImage, Entity? postImage)
        {
            foreach (var step in steps)
            {
                if (step.Stage != stage || step.Mode != StepModes.Synchronous)
                {
                    continue;
                }

                var stagePreImage = stage == PipelineStages.PreValidation ? Snapshot(context) : preImage;
                var stepContext = StepContexts.Build(_organization, step, context, stagePreImage, stage == PipelineStages.PostOperation ? postImage : null);
                Plugins.InvokeStep(step, stepContext);
            }
        }

        private void QueueAsyncSteps(List<StepRegistration> steps, PluginExecutionContext context, Entity? preImage, Entity? postImage)
        {
            foreach (var step in steps)
            {
                if (step.Mode == StepModes.Asynchronous && step.Stage == PipelineStages.PostOperation)
                {
                    var asyncContext = StepContexts.Build(_organization, step, context, preImage, postImage);
                    asyncContext.IsInTransaction = false;
                    _store.CurrentTransaction!.AsyncOperations.Add(new PendingAsyncOperation(step, asyncContext));
                }
            }
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

        public void InvokeCustomApiPlugin(CustomApiDefinition api, PluginExecutionContext context)
        {
            var plugin = Plugins.GetInstance(api, api.PluginType!, null, null);
            Plugins.Invoke(plugin, context, api.PluginType!.FullName ?? api.PluginType.Name);
        }
    }
}
