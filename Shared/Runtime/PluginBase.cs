using System;
using System.ServiceModel;
using EmergencySolution.Privacy;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Runtime
{
    /// <summary>
    /// The shape every plugin of this solution shares: resolve the platform services once per execution,
    /// hand them to <see cref="ExecuteCore"/>, and turn organization-service faults into
    /// <see cref="InvalidPluginExecutionException"/> so the caller sees one clear message.
    /// </summary>
    /// <remarks>
    /// The platform caches one instance per step and calls it from many threads, so derived classes keep no
    /// per-execution state in fields. Configuration strings are immutable after construction, which is safe.
    /// Public so that each registered plugin class derives from it directly. This file is compiled into both plugin
    /// assemblies (Dataverse cannot load a shared library beside a registered assembly), so each assembly has its own
    /// public copy; a project that references both names one of them through an extern alias.
    /// Each registered class declares the two constructors the platform calls: parameterless, and
    /// (unsecure configuration, secure configuration).
    /// </remarks>
    public abstract class PluginBase : IPlugin
    {
        protected PluginBase(string? unsecureConfiguration = null, string? secureConfiguration = null)
        {
            UnsecureConfiguration = unsecureConfiguration;
            SecureConfiguration = secureConfiguration;
        }

        /// <summary>0x80040265: what an InvalidPluginExecutionException without a code of its own reaches the caller as.</summary>
        private const int IsvAbortedErrorCode = unchecked((int)0x80040265);

        protected string? UnsecureConfiguration { get; }

        protected string? SecureConfiguration { get; }

        public void Execute(IServiceProvider serviceProvider)
        {
            if (serviceProvider == null)
            {
                throw new InvalidPluginExecutionException(nameof(serviceProvider) + " is null.");
            }

            var context = new LocalPluginContext(serviceProvider);
            var pluginName = GetType().Name;
            context.Trace("{0}: {1} of {2}, stage {3}, depth {4}, correlation {5}.", pluginName,
                context.ExecutionContext.MessageName, context.ExecutionContext.PrimaryEntityName,
                context.ExecutionContext.Stage, context.ExecutionContext.Depth, context.ExecutionContext.CorrelationId);
            try
            {
                ExecuteCore(context);
            }
            catch (InvalidPluginExecutionException)
            {
                throw;
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                // A fault's text can quote row values, phone numbers among them: traces and the caller's error get
                // the redacted text only.
                var message = PhoneNumberPrivacy.Redact(fault.Detail?.Message ?? fault.Message);
                context.Trace("{0}: organization service fault 0x{1:X8}: {2}", pluginName, fault.Detail?.ErrorCode ?? 0, message);
                // The fault's own code goes on to the caller: a lost race (duplicate key), a lock timeout or throttling is
                // worth the caller's retry with the same IdempotencyKey, while 0x80040265 (Start's refusal of its input) is not.
                var code = fault.Detail != null && fault.Detail.ErrorCode != 0 ? fault.Detail.ErrorCode : IsvAbortedErrorCode;
                throw new InvalidPluginExecutionException(OperationStatus.Failed, code, pluginName + " failed: " + message);
            }
            catch (TimeoutException timeout)
            {
                var message = PhoneNumberPrivacy.Redact(timeout.Message);
                context.Trace("{0}: timed out: {1}", pluginName, message);
                throw new InvalidPluginExecutionException(pluginName + " timed out: " + message);
            }
        }

        /// <summary>The plugin's own work. Read the context, call plain code, write outputs.</summary>
        protected abstract void ExecuteCore(LocalPluginContext context);
    }
}
