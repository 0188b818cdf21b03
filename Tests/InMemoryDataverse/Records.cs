using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>One ITracingService.Trace call, with the plugin that wrote it (as a PluginTraceLog row would have).</summary>
    public sealed class TraceEntry
    {
        internal TraceEntry(string pluginTypeName, int depth, string text)
        {
            PluginTypeName = pluginTypeName;
            Depth = depth;
            Text = text;
        }

        public string PluginTypeName { get; }
        public int Depth { get; }
        public string Text { get; }

        public override string ToString() => $"{PluginTypeName} (depth {Depth}): {Text}";
    }

    /// <summary>Who runs a request and from where; handed to replaced message handlers.</summary>
    public sealed class ExecutionInfo
    {
        internal ExecutionInfo(InMemoryOrganization organization, Guid userId, Guid initiatingUserId, int depth, string? pluginTypeName, PluginExecutionContext? context)
        {
            Organization = organization;
            UserId = userId;
            InitiatingUserId = initiatingUserId;
            Depth = depth;
            PluginTypeName = pluginTypeName;
            Context = context;
        }

        public InMemoryOrganization Organization { get; }
        public Guid UserId { get; }
        public Guid InitiatingUserId { get; }
        public int Depth { get; }
        public string? PluginTypeName { get; }

        /// <summary>The pipeline context of the operation (its InputParameters, SharedVariables, ...).</summary>
        public PluginExecutionContext? Context { get; }
    }

    /// <summary>An async step whose plugin threw; the triggering operation was not affected, as in Dataverse.</summary>
    public sealed class FailedAsyncOperation
    {
        internal FailedAsyncOperation(string stepName, string messageName, Guid primaryEntityId, Exception exception)
        {
            StepName = stepName;
            MessageName = messageName;
            PrimaryEntityId = primaryEntityId;
            Exception = exception;
        }

        public string StepName { get; }
        public string MessageName { get; }
        public Guid PrimaryEntityId { get; }
        public Exception Exception { get; }

        public override string ToString() => $"{StepName}: {Exception.Message}";
    }

    /// <summary>A clock that code under test can take instead of DateTime.UtcNow.</summary>
    public interface ITimeSource
    {
        DateTime UtcNow { get; }
    }

    /// <summary>A step registration read from SdkMessageProcessingSteps/*.xml (or added by a test).</summary>
    public sealed class StepRegistration
    {
        public Guid Id { get; set; } = Guid.NewGuid();
        public string Name { get; set; } = string.Empty;
        public string MessageName { get; set; } = string.Empty;
        public string? PrimaryEntity { get; set; }
        public Type PluginType { get; set; } = typeof(object);
        public Guid PluginTypeId { get; set; }
        public int Stage { get; set; }

        /// <summary>0 synchronous, 1 asynchronous.</summary>
        public int Mode { get; set; }

        public int Rank { get; set; } = 1;
        public IReadOnlyCollection<string> FilteringAttributes { get; set; } = Array.Empty<string>();
        public string? UnsecureConfiguration { get; set; }
        public string? SecureConfiguration { get; set; }
        public IReadOnlyList<StepImage> Images { get; set; } = Array.Empty<StepImage>();

        public override string ToString() => Name;
    }

    public sealed class StepImage
    {
        public string Name { get; set; } = string.Empty;
        public string EntityAlias { get; set; } = string.Empty;

        /// <summary>0 pre, 1 post, 2 both.</summary>
        public int ImageType { get; set; }

        /// <summary>Empty = all columns.</summary>
        public IReadOnlyCollection<string> Attributes { get; set; } = Array.Empty<string>();

        public string MessagePropertyName { get; set; } = "Target";
    }

    /// <summary>A custom API read from customapis/&lt;name&gt;/customapi.xml.</summary>
    public sealed class CustomApiDefinition
    {
        public string UniqueName { get; set; } = string.Empty;
        public int BindingType { get; set; }
        public string? BoundEntityLogicalName { get; set; }
        public bool IsFunction { get; set; }
        public string? ExecutePrivilegeName { get; set; }
        public Type? PluginType { get; set; }
        public Guid PluginTypeId { get; set; }
        public List<CustomApiParameter> RequestParameters { get; } = new List<CustomApiParameter>();
        public List<CustomApiParameter> ResponseProperties { get; } = new List<CustomApiParameter>();
    }

    public sealed class CustomApiParameter
    {
        public string UniqueName { get; set; } = string.Empty;

        /// <summary>Type code: 0 Boolean ... 12 Guid (see docs/harness.md).</summary>
        public int Type { get; set; }

        public bool IsOptional { get; set; }
        public string? LogicalEntityName { get; set; }
    }
}
