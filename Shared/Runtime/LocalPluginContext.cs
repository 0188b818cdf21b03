using System;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Runtime
{
    /// <summary>
    /// What one execution of a plugin needs from the platform: the execution context, the organization
    /// services for the calling user, the initiating user and SYSTEM, and tracing. Built per execution, never
    /// cached. Public because <see cref="PluginBase"/>, which hands it to each registered class, is public.
    /// </summary>
    public sealed class LocalPluginContext
    {
        private readonly IOrganizationServiceFactory _serviceFactory;
        private IOrganizationService? _userService;
        private IOrganizationService? _initiatingUserService;
        private IOrganizationService? _systemService;

        internal LocalPluginContext(IServiceProvider serviceProvider)
        {
            ExecutionContext = (IPluginExecutionContext)GetRequired(serviceProvider, typeof(IPluginExecutionContext));
            _serviceFactory = (IOrganizationServiceFactory)GetRequired(serviceProvider, typeof(IOrganizationServiceFactory));
            TracingService = (ITracingService)GetRequired(serviceProvider, typeof(ITracingService));
        }

        public IPluginExecutionContext ExecutionContext { get; }

        public ITracingService TracingService { get; }

        /// <summary>Runs as the user the step or API executes as (<see cref="IExecutionContext.UserId"/>).</summary>
        public IOrganizationService UserService =>
            _userService ??= _serviceFactory.CreateOrganizationService(ExecutionContext.UserId);

        /// <summary>Runs as the user who started the operation (<see cref="IExecutionContext.InitiatingUserId"/>).</summary>
        public IOrganizationService InitiatingUserService =>
            _initiatingUserService ??= _serviceFactory.CreateOrganizationService(ExecutionContext.InitiatingUserId);

        /// <summary>
        /// Runs as SYSTEM. Used where the agent must not need privileges on the rows touched on their behalf
        /// (presence, the callback pool); every such use is named in the README's "Security model" section.
        /// </summary>
        public IOrganizationService SystemService =>
            _systemService ??= _serviceFactory.CreateOrganizationService(null);

        /// <summary>
        /// Runs as the given user, as the Web API's MSCRMCallerID header does: for messages that act for their caller,
        /// such as Contact Center's CCaaS_ModifyAgentPresence (the agent) and emc_StartEmergencyCall (the agent).
        /// </summary>
        public IOrganizationService ServiceFor(Guid userId) => _serviceFactory.CreateOrganizationService(userId);

        /// <summary>The row a Create or Update step is about (the "Target" input), or null when there is none.</summary>
        public Entity? Target =>
            ExecutionContext.InputParameters.TryGetValue("Target", out var target) ? target as Entity : null;

        public void Trace(string format, params object?[] args)
        {
            TracingService.Trace(format, args);
        }

        private static object GetRequired(IServiceProvider serviceProvider, Type serviceType)
        {
            return serviceProvider.GetService(serviceType)
                ?? throw new InvalidPluginExecutionException("The platform did not provide " + serviceType.Name + ".");
        }
    }
}
