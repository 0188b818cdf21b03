using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// An Update that changes statecode/statuscode together with other columns reaches plug-ins in two passes, as
    /// Microsoft documents ("Behavior of specialized update operations", For plug-ins): steps registered on Update in
    /// PreOperation and PostOperation "execute once for all non-state/status fields, and then once for the state/status
    /// fields". PreValidation runs once, with the whole Target. Each pass is an Update of its own columns with its own
    /// images and filtering attributes; the passes share the operation's SharedVariables.
    /// </summary>
    internal static class StateChangeInUpdate
    {
        private static readonly HashSet<string> StateColumns = new HashSet<string>(StringComparer.Ordinal) { "statecode", "statuscode" };

        /// <summary>The two Targets (other columns first, then state and status), or null when the Update needs one pass.</summary>
        public static Entity[]? Passes(PluginExecutionContext context, string primaryIdAttribute)
        {
            if (context.MessageName != MessageNames.Update || !(context.InputParameters.TryGetValue("Target", out var value) && value is Entity target))
            {
                return null;
            }

            var hasState = false;
            var hasOthers = false;
            foreach (var name in target.Attributes.Keys)
            {
                if (StateColumns.Contains(name))
                {
                    hasState = true;
                }
                else if (name != primaryIdAttribute)
                {
                    hasOthers = true;
                }
            }

            if (!hasState || !hasOthers)
            {
                return null;
            }

            var others = new Entity(target.LogicalName, target.Id) { RowVersion = target.RowVersion };
            var state = new Entity(target.LogicalName, target.Id);
            foreach (var pair in target.Attributes)
            {
                (StateColumns.Contains(pair.Key) ? state : others).Attributes[pair.Key] = pair.Value;
            }

            return new[] { others, state };
        }

        /// <summary>The operation's input parameters with this pass's Target: a collection of its own, so a queued async step keeps what its pass saw.</summary>
        public static ParameterCollection InputsOfPass(ParameterCollection inputs, Entity target)
        {
            var pass = new ParameterCollection();
            foreach (var pair in inputs)
            {
                pass[pair.Key] = pair.Value;
            }

            pass["Target"] = target;
            return pass;
        }
    }
}
