using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    /// <summary>The registered steps, and which of them run for one operation, in execution order.</summary>
    internal sealed class StepCatalog
    {
        private static readonly List<StepRegistration> NoSteps = new List<StepRegistration>();
        private readonly List<StepRegistration> _steps = new List<StepRegistration>();
        private readonly HashSet<string> _messages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public IReadOnlyList<StepRegistration> All => _steps;

        /// <summary>True when a step is registered on the message (any table).</summary>
        public bool AnyFor(string messageName) => _messages.Count > 0 && _messages.Contains(messageName);

        public void Register(StepRegistration step)
        {
            if (step.Mode == StepModes.Asynchronous && step.Stage != PipelineStages.PostOperation)
            {
                throw new ArgumentException("Asynchronous steps can only be registered in PostOperation (stage 40).", nameof(step));
            }

            _steps.Add(step);
            _messages.Add(step.MessageName);
        }

        /// <summary>Steps of the context's message and table (filtering attributes applied to Update), by stage, rank, name.</summary>
        public List<StepRegistration> Matching(PluginExecutionContext context)
        {
            if (!AnyFor(context.MessageName))
            {
                return NoSteps;
            }

            var result = new List<StepRegistration>();
            foreach (var step in _steps)
            {
                if (Applies(step, context))
                {
                    result.Add(step);
                }
            }

            if (result.Count > 1)
            {
                result.Sort(ExecutionOrder);
            }

            return result;
        }

        private static bool Applies(StepRegistration step, PluginExecutionContext context)
        {
            if (!string.Equals(step.MessageName, context.MessageName, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (!string.IsNullOrEmpty(step.PrimaryEntity) && step.PrimaryEntity != "none" && step.PrimaryEntity != context.PrimaryEntityName)
            {
                return false;
            }

            return step.FilteringAttributes.Count == 0 || context.MessageName != MessageNames.Update
                || !(context.InputParameters.Contains("Target") && context.InputParameters["Target"] is Entity target)
                || step.FilteringAttributes.Any(a => target.Attributes.ContainsKey(a));
        }

        private static int ExecutionOrder(StepRegistration a, StepRegistration b)
        {
            var byStage = a.Stage.CompareTo(b.Stage);
            if (byStage != 0)
            {
                return byStage;
            }

            var byRank = a.Rank.CompareTo(b.Rank);
            return byRank != 0 ? byRank : StringComparer.Ordinal.Compare(a.Name, b.Name);
        }
    }

    /// <summary>The context one step receives: the operation's, at the step's stage and mode, with its images.</summary>
    internal static class StepContexts
    {
        public static PluginExecutionContext Build(InMemoryOrganization organization, StepRegistration step, PluginExecutionContext context, Entity? preImage, Entity? postImage)
        {
            var stepContext = context.CopyForStage(step.Stage, step.Mode);
            stepContext.StepName = step.Name;
            if (!ParentContextIsDocumented(step.Stage, context.MessageName))
            {
                stepContext.ParentContext = null;
            }

            foreach (var image in step.Images)
            {
                var wantsPre = image.ImageType == StepImageTypes.PreImage || image.ImageType == StepImageTypes.Both;
                var wantsPost = image.ImageType == StepImageTypes.PostImage || image.ImageType == StepImageTypes.Both;
                if (wantsPre && preImage != null && context.MessageName != MessageNames.Create)
                {
                    stepContext.PreEntityImages[image.EntityAlias] = ImageOf(organization, preImage, image.Attributes);
                }

                if (wantsPost && postImage != null && step.Stage == PipelineStages.PostOperation)
                {
                    stepContext.PostEntityImages[image.EntityAlias] = ImageOf(organization, postImage, image.Attributes);
                }
            }

            return stepContext;
        }

        // "This property may be populated for a plug-in registered in stage 20 or 40 when a Create, Update, Delete, or
        // RetrieveExchangeRate request is processed" (IPluginExecutionContext.ParentContext, learn.microsoft.com).
        private static readonly HashSet<string> MessagesWithParentContext = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            MessageNames.Create, MessageNames.Update, MessageNames.Delete, "RetrieveExchangeRate",
        };

        /// <summary>Only where Microsoft documents it, so code relying on ParentContext elsewhere fails here as it would there.</summary>
        public static bool ParentContextIsDocumented(int stage, string messageName) =>
            (stage == PipelineStages.PreOperation || stage == PipelineStages.PostOperation) && MessagesWithParentContext.Contains(messageName);

        private static Entity ImageOf(InMemoryOrganization organization, Entity row, IReadOnlyCollection<string> attributes)
        {
            var columns = attributes.Count == 0 ? new ColumnSet(true) : new ColumnSet(attributes.ToArray());
            return QueryEngine.ProjectRow(row, columns, organization.Metadata.PrimaryIdAttribute(row.LogicalName));
        }
    }
}
