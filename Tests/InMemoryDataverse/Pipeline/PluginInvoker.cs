using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>Creates plugin instances (cached per step, as the platform does) and runs them, turning their exceptions into faults.</summary>
    internal sealed class PluginInvoker
    {
        private readonly InMemoryOrganization _organization;
        private readonly Dictionary<object, IPlugin> _instances = new Dictionary<object, IPlugin>();

        public PluginInvoker(InMemoryOrganization organization)
        {
            _organization = organization;
        }

        public void InvokeStep(StepRegistration step, PluginExecutionContext context)
        {
            var plugin = GetInstance(step.Id, step.PluginType, step.UnsecureConfiguration, step.SecureConfiguration);
            Invoke(plugin, context, step.PluginType.FullName ?? step.PluginType.Name);
        }

        /// <summary>Runs a plugin and turns its exceptions into the fault a caller of the platform sees.</summary>
        public void Invoke(IPlugin plugin, PluginExecutionContext context, string pluginTypeName)
        {
            try
            {
                plugin.Execute(new PluginServiceProvider(_organization, context, pluginTypeName));
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
        public IPlugin GetInstance(object cacheKey, Type pluginType, string? unsecure, string? secure)
        {
            lock (_instances)
            {
                if (!_instances.TryGetValue(cacheKey, out var plugin))
                {
                    plugin = Create(pluginType, unsecure, secure);
                    _instances.Add(cacheKey, plugin);
                }

                return plugin;
            }
        }

        public static IPlugin Create(Type pluginType, string? unsecure, string? secure)
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
    }

    /// <summary>An async step to run after the commit of the operation that triggered it.</summary>
    internal sealed class PendingAsyncOperation
    {
        public PendingAsyncOperation(StepRegistration step, PluginExecutionContext context)
        {
            Step = step;
            Context = context;
        }

        public StepRegistration Step { get; }

        public PluginExecutionContext Context { get; }
    }

    /// <summary>Async steps queued by committed operations; run by RunPendingAsyncOperations (or at once, if the test asks).</summary>
    internal sealed class AsyncOperationQueue
    {
        private readonly InMemoryOrganization _organization;
        private readonly PluginInvoker _plugins;
        private readonly Queue<PendingAsyncOperation> _pending = new Queue<PendingAsyncOperation>();
        private readonly List<FailedAsyncOperation> _failed = new List<FailedAsyncOperation>();

        public AsyncOperationQueue(InMemoryOrganization organization, PluginInvoker plugins)
        {
            _organization = organization;
            _plugins = plugins;
        }

        public int Count
        {
            get
            {
                lock (_pending)
                {
                    return _pending.Count;
                }
            }
        }

        public IReadOnlyList<FailedAsyncOperation> Failed => _failed;

        public void Enqueue(List<PendingAsyncOperation> operations)
        {
            if (operations.Count == 0)
            {
                return;
            }

            lock (_pending)
            {
                foreach (var operation in operations)
                {
                    _pending.Enqueue(operation);
                }
            }
        }

        /// <summary>The queued operations, first to run first (see AsyncOrdering.cs).</summary>
        public List<PendingAsyncOperation> Snapshot()
        {
            lock (_pending)
            {
                return _pending.ToList();
            }
        }

        /// <summary>Replaces the queue with the same operations in another order (see AsyncOrdering.cs).</summary>
        public void Replace(IEnumerable<PendingAsyncOperation> operations)
        {
            lock (_pending)
            {
                _pending.Clear();
                foreach (var operation in operations)
                {
                    _pending.Enqueue(operation);
                }
            }
        }

        /// <summary>Runs queued async steps (and any they queue in turn), each outside a transaction; a failure is recorded, never thrown.</summary>
        public int RunPending()
        {
            var count = 0;
            while (TryDequeue(out var pending))
            {
                count++;
                try
                {
                    _plugins.InvokeStep(pending.Step, pending.Context);
                }
                catch (Exception exception)
                {
                    lock (_failed)
                    {
                        _failed.Add(new FailedAsyncOperation(pending.Step.Name, pending.Context.MessageName, pending.Context.PrimaryEntityId, exception));
                    }

                    _organization.AddTrace($"Async step '{pending.Step.Name}' failed: {exception.Message}");
                }
            }

            return count;
        }

        private bool TryDequeue(out PendingAsyncOperation operation)
        {
            lock (_pending)
            {
                if (_pending.Count == 0)
                {
                    operation = null!;
                    return false;
                }

                operation = _pending.Dequeue();
                return true;
            }
        }
    }
}
