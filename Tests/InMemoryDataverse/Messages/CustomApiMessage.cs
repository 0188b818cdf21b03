using System.Linq;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// A custom API's main operation: its plugin runs at stage 30 with the operation's parameters; the request is
    /// checked against the API's definition (privilege, parameters and their types) and so are its outputs.
    /// </summary>
    internal sealed class CustomApiMessage : MessageHandler
    {
        private readonly CustomApiDefinition _api;

        public CustomApiMessage(InMemoryOrganization organization, CustomApiDefinition api)
            : base(organization)
        {
            _api = api;
        }

        public CustomApiDefinition Definition => _api;

        public override OrganizationResponse Execute(PluginExecutionContext context, Caller caller)
        {
            if (_api.PluginType == null)
            {
                return new OrganizationResponse { ResponseName = _api.UniqueName };
            }

            var mainContext = context.CopyForStage(PipelineStages.MainOperation, StepModes.Synchronous);
            if (!Organization.ParentContextInCustomApiMainOperation)
            {
                mainContext.ParentContext = null; // documented for stages 20 and 40 only (see StepContexts)
            }
            Organization.Pipeline.InvokeCustomApiPlugin(_api, mainContext);
            return new OrganizationResponse { ResponseName = _api.UniqueName };
        }

        public void CheckExecutePrivilege(Caller caller)
        {
            if (!string.IsNullOrEmpty(_api.ExecutePrivilegeName) && !Organization.HasPrivilege(caller.UserId, _api.ExecutePrivilegeName!))
            {
                throw Faults.Create(ErrorCodes.PrivilegeDenied,
                    $"Principal user (Id={caller.UserId}, type=8) is missing {_api.ExecutePrivilegeName} privilege (message {_api.UniqueName}).");
            }
        }

        public void ValidateInputs(OrganizationRequest request)
        {
            foreach (var pair in request.Parameters)
            {
                if ((_api.BindingType != CustomApiBindingTypes.Global && pair.Key == "Target") || OptionalParameters.IsOptional(pair.Key))
                {
                    continue;
                }

                var definition = _api.RequestParameters.FirstOrDefault(p => p.UniqueName == pair.Key)
                    ?? throw Faults.InvalidArgument($"The parameter '{pair.Key}' is not defined for the message '{_api.UniqueName}'. Defined: {string.Join(", ", _api.RequestParameters.Select(p => p.UniqueName))}.");
                CheckInputValue(definition, pair.Key, pair.Value);
            }

            foreach (var definition in _api.RequestParameters.Where(p => !p.IsOptional))
            {
                if (!request.Parameters.Contains(definition.UniqueName))
                {
                    throw Faults.InvalidArgument($"The required parameter '{definition.UniqueName}' of '{_api.UniqueName}' is missing.");
                }
            }

            if (_api.BindingType != CustomApiBindingTypes.Global && !(request.Parameters.Contains("Target") && request.Parameters["Target"] is EntityReference))
            {
                throw Faults.InvalidArgument($"The bound message '{_api.UniqueName}' needs a Target EntityReference.");
            }
        }

        private void CheckInputValue(CustomApiParameter definition, string name, object? value)
        {
            if (value == null)
            {
                if (!definition.IsOptional)
                {
                    throw Faults.InvalidArgument($"The required parameter '{name}' of '{_api.UniqueName}' is null.");
                }

                return;
            }

            if (!CustomApiTypes.Matches(definition.Type, value))
            {
                throw Faults.InvalidArgument(
                    $"The parameter '{name}' of '{_api.UniqueName}' must be {CustomApiTypes.Describe(definition.Type)}, not {value.GetType().FullName}.");
            }
        }

        public void ValidateOutputs(ParameterCollection outputs)
        {
            foreach (var pair in outputs)
            {
                var definition = _api.ResponseProperties.FirstOrDefault(p => p.UniqueName == pair.Key)
                    ?? throw Faults.InvalidArgument($"The plugin set the output '{pair.Key}', which '{_api.UniqueName}' does not define as a response property.");
                if (pair.Value != null && !CustomApiTypes.Matches(definition.Type, pair.Value))
                {
                    throw Faults.InvalidArgument(
                        $"The output '{pair.Key}' of '{_api.UniqueName}' must be {CustomApiTypes.Describe(definition.Type)}, not {pair.Value.GetType().FullName}.");
                }
            }
        }
    }

    /// <summary>Custom API type codes (customapirequestparameter.type / customapiresponseproperty.type).</summary>
    internal static class CustomApiTypes
    {
        private static readonly string[] Names =
        {
            "Boolean", "DateTime", "Decimal", "Entity", "EntityCollection", "EntityReference", "Float", "Integer", "Money", "Picklist", "String", "StringArray", "Guid",
        };

        public static bool Matches(int typeCode, object value)
        {
            switch (typeCode)
            {
                case 0: return value is bool;
                case 1: return value is System.DateTime;
                case 2: return value is decimal;
                case 3: return value is Entity;
                case 4: return value is EntityCollection;
                case 5: return value is EntityReference;
                case 6: return value is double;
                case 7: return value is int;
                case 8: return value is Money;
                case 9: return value is OptionSetValue;
                case 10: return value is string;
                case 11: return value is string[];
                case 12: return value is System.Guid;
                default: return false;
            }
        }

        public static string Describe(int typeCode) =>
            typeCode >= 0 && typeCode < Names.Length ? Names[typeCode] + " (type " + typeCode + ")" : "type " + typeCode;
    }
}
