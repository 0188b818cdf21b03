using System;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// The execution context the harness hands to plugins, filled as the platform fills it. Public and settable so a
    /// test can also build one by hand for <see cref="InMemoryOrganization.ExecutePluginWith{TPlugin}(PluginExecutionContext, string, string)"/>.
    /// </summary>
    public sealed class PluginExecutionContext : IPluginExecutionContext
    {
        // Collections and ids are made on first use: an operation no step sees costs one object, not eight.
        private ParameterCollection? _inputParameters;
        private ParameterCollection? _outputParameters;
        private ParameterCollection? _sharedVariables;
        private EntityImageCollection? _preEntityImages;
        private EntityImageCollection? _postEntityImages;
        private Guid? _correlationId;
        private Guid? _operationId;

        public PluginExecutionContext()
        {
            Depth = 1;
            Stage = 40;
            IsolationMode = 2;
            OrganizationName = "inmemory";
        }

        public int Mode { get; set; }
        public int IsolationMode { get; set; }
        public int Depth { get; set; }
        public string MessageName { get; set; } = string.Empty;
        public string PrimaryEntityName { get; set; } = "none";
        public Guid? RequestId { get; set; }
        public string SecondaryEntityName { get; set; } = "none";
        public ParameterCollection InputParameters
        {
            get => _inputParameters ??= new ParameterCollection();
            set => _inputParameters = value;
        }

        public ParameterCollection OutputParameters
        {
            get => _outputParameters ??= new ParameterCollection();
            set => _outputParameters = value;
        }

        public ParameterCollection SharedVariables
        {
            get => _sharedVariables ??= new ParameterCollection();
            set => _sharedVariables = value;
        }
        public Guid UserId { get; set; }
        public Guid InitiatingUserId { get; set; }
        public Guid BusinessUnitId { get; set; }
        public Guid OrganizationId { get; set; }
        public string OrganizationName { get; set; }
        public Guid PrimaryEntityId { get; set; }
        public EntityImageCollection PreEntityImages
        {
            get => _preEntityImages ??= new EntityImageCollection();
            set => _preEntityImages = value;
        }

        public EntityImageCollection PostEntityImages
        {
            get => _postEntityImages ??= new EntityImageCollection();
            set => _postEntityImages = value;
        }
        public EntityReference? OwningExtension { get; set; }
        public Guid CorrelationId
        {
            get => _correlationId ??= Guid.NewGuid();
            set => _correlationId = value;
        }
        public bool IsExecutingOffline { get; set; }
        public bool IsOfflinePlayback { get; set; }
        public bool IsInTransaction { get; set; }
        public Guid OperationId
        {
            get => _operationId ??= Guid.NewGuid();
            set => _operationId = value;
        }

        /// <summary>Set to the organization's clock for every context the harness builds (plugins read time from here).</summary>
        public DateTime OperationCreatedOn { get; set; }

        public int Stage { get; set; }

        public PluginExecutionContext? ParentContext { get; set; }

        IPluginExecutionContext IPluginExecutionContext.ParentContext => ParentContext!;

        /// <summary>Which step this context was built for (null for a custom API main operation or a hand-made context).</summary>
        public string? StepName { get; set; }

        /// <summary>Back to a new context's values, holding nothing of the operation it served.</summary>
        internal void Reset()
        {
            _inputParameters = null;
            _outputParameters = null;
            _sharedVariables = null;
            _preEntityImages = null;
            _postEntityImages = null;
            _correlationId = null;
            _operationId = null;
            Mode = 0;
            IsolationMode = 2;
            Depth = 1;
            MessageName = string.Empty;
            PrimaryEntityName = "none";
            RequestId = null;
            SecondaryEntityName = "none";
            UserId = Guid.Empty;
            InitiatingUserId = Guid.Empty;
            BusinessUnitId = Guid.Empty;
            OrganizationId = Guid.Empty;
            OrganizationName = "inmemory";
            PrimaryEntityId = Guid.Empty;
            OwningExtension = null;
            IsExecutingOffline = false;
            IsOfflinePlayback = false;
            IsInTransaction = false;
            OperationCreatedOn = default;
            Stage = 40;
            ParentContext = null;
            StepName = null;
        }

        internal PluginExecutionContext CopyForStage(int stage, int mode)
        {
            return new PluginExecutionContext
            {
                Mode = mode,
                IsolationMode = IsolationMode,
                Depth = Depth,
                MessageName = MessageName,
                PrimaryEntityName = PrimaryEntityName,
                RequestId = RequestId,
                SecondaryEntityName = SecondaryEntityName,
                InputParameters = InputParameters,
                OutputParameters = OutputParameters,
                SharedVariables = SharedVariables,
                UserId = UserId,
                InitiatingUserId = InitiatingUserId,
                BusinessUnitId = BusinessUnitId,
                OrganizationId = OrganizationId,
                OrganizationName = OrganizationName,
                PrimaryEntityId = PrimaryEntityId,
                CorrelationId = CorrelationId,
                IsInTransaction = IsInTransaction,
                OperationId = OperationId,
                OperationCreatedOn = OperationCreatedOn,
                Stage = stage,
                ParentContext = ParentContext,
            };
        }
    }
}
