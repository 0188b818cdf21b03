using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// The optional parameters any request may carry ("Use optional parameters", learn.microsoft.com/power-apps/developer/
    /// data-platform/optional-parameters; "Bypass custom Dataverse logic", .../bypass-custom-business-logic): they steer
    /// the pipeline and are not input parameters of the message. <c>tag</c> reaches plug-ins as SharedVariables["tag"];
    /// BypassBusinessLogicExecution (CustomSync, CustomAsync or both; needs prvBypassCustomBusinessLogic),
    /// BypassBusinessLogicExecutionStepIds and the older BypassCustomPluginExecution (synchronous only; needs
    /// prvBypassCustomPlugins) keep registered steps from running.
    /// </summary>
    internal sealed class OptionalParameters
    {
        public const string Tag = "tag";
        public const string BypassCustomPluginExecution = "BypassCustomPluginExecution";
        public const string BypassBusinessLogicExecution = "BypassBusinessLogicExecution";
        public const string BypassBusinessLogicExecutionStepIds = "BypassBusinessLogicExecutionStepIds";

        private static readonly HashSet<string> Names = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            Tag, BypassCustomPluginExecution, BypassBusinessLogicExecution, BypassBusinessLogicExecutionStepIds,
            "SuppressDuplicateDetection", "SuppressCallbackRegistrationExpanderJob", "SolutionUniqueName",
        };

        private static readonly OptionalParameters None = new OptionalParameters();

        public string? TagValue { get; private set; }

        public bool BypassSynchronous { get; private set; }

        public bool BypassAsynchronous { get; private set; }

        public HashSet<Guid> BypassedStepIds { get; } = new HashSet<Guid>();

        public static bool IsOptional(string parameterName) => Names.Contains(parameterName);

        /// <summary>Reads the request's optional parameters; a bypass the caller has no privilege for is refused.</summary>
        public static OptionalParameters Read(InMemoryOrganization organization, OrganizationRequest request, Guid userId)
        {
            var parameters = request.Parameters;
            if (!AnyOptional(parameters))
            {
                return None;
            }

            var options = new OptionalParameters { TagValue = parameters.Contains(Tag) ? parameters[Tag] as string : null };
            if (parameters.Contains(BypassCustomPluginExecution) && parameters[BypassCustomPluginExecution] is bool legacy && legacy)
            {
                Require(organization, userId, "prvBypassCustomPlugins");
                options.BypassSynchronous = true;
            }

            var logic = parameters.Contains(BypassBusinessLogicExecution) ? parameters[BypassBusinessLogicExecution] as string : null;
            var stepIds = parameters.Contains(BypassBusinessLogicExecutionStepIds) ? parameters[BypassBusinessLogicExecutionStepIds] as string : null;
            if (!string.IsNullOrEmpty(logic) || !string.IsNullOrEmpty(stepIds))
            {
                Require(organization, userId, "prvBypassCustomBusinessLogic");
            }

            foreach (var part in (logic ?? string.Empty).Split(',').Select(p => p.Trim()).Where(p => p.Length > 0))
            {
                if (string.Equals(part, "CustomSync", StringComparison.OrdinalIgnoreCase))
                {
                    options.BypassSynchronous = true;
                }
                else if (string.Equals(part, "CustomAsync", StringComparison.OrdinalIgnoreCase))
                {
                    options.BypassAsynchronous = true;
                }
                else
                {
                    throw Faults.InvalidArgument($"BypassBusinessLogicExecution takes CustomSync, CustomAsync or both, not '{part}'.");
                }
            }

            foreach (var part in (stepIds ?? string.Empty).Split(',').Select(p => p.Trim()).Where(p => p.Length > 0))
            {
                options.BypassedStepIds.Add(Guid.TryParse(part, out var id) ? id : throw Faults.InvalidArgument($"BypassBusinessLogicExecutionStepIds: '{part}' is not a step id."));
            }

            return options;
        }

        // A buffer per thread to look at the parameter names: enumerating a ParameterCollection boxes its enumerator.
        [ThreadStatic]
        private static KeyValuePair<string, object>[]? _names;

        private static bool AnyOptional(ParameterCollection parameters)
        {
            var count = parameters.Count;
            if (count == 0)
            {
                return false;
            }

            var buffer = _names != null && _names.Length >= count ? _names : _names = new KeyValuePair<string, object>[Math.Max(8, count)];
            parameters.CopyTo(buffer, 0);
            var any = false;
            for (var i = 0; i < count; i++)
            {
                any |= IsOptional(buffer[i].Key);
                buffer[i] = default; // hold none of the caller's values
            }

            return any;
        }

        /// <summary>The matching steps without the ones this request bypasses.</summary>
        public List<StepRegistration> Filter(List<StepRegistration> steps)
        {
            if (!BypassSynchronous && !BypassAsynchronous && BypassedStepIds.Count == 0)
            {
                return steps;
            }

            return steps.Where(s => !BypassedStepIds.Contains(s.Id)
                && !(BypassSynchronous && s.Mode == StepModes.Synchronous)
                && !(BypassAsynchronous && s.Mode == StepModes.Asynchronous)).ToList();
        }

        private static void Require(InMemoryOrganization organization, Guid userId, string privilege)
        {
            if (!organization.HasPrivilege(userId, privilege))
            {
                throw Faults.Create(ErrorCodes.PrivilegeDenied, $"Principal user (Id={userId}, type=8) is missing {privilege} privilege.");
            }
        }
    }
}
