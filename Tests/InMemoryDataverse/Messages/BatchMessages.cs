using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace InMemoryDataverse
{
    /// <summary>
    /// ExecuteMultiple: each request on its own (its own transaction), faults collected or stopping the batch. As
    /// documented ("Execute multiple requests using the SDK for .NET", run-time limitations): at most 1,000 requests,
    /// and no recursion (a batch request inside gets a fault of its own).
    /// </summary>
    internal sealed class ExecuteMultipleHandler : MessageHandler
    {
        public const int MaxBatchSize = 1_000;

        public ExecuteMultipleHandler(InMemoryOrganization organization)
            : base(organization)
        {
        }

        public override bool RunsThroughPipeline => false;

        public override OrganizationResponse ExecuteBatch(OrganizationRequest request, Caller caller)
        {
            var requests = (OrganizationRequestCollection)request.Parameters["Requests"];
            var settings = request.Parameters.Contains("Settings") ? (ExecuteMultipleSettings)request.Parameters["Settings"] : new ExecuteMultipleSettings();
            if (requests.Count > MaxBatchSize)
            {
                // Refused before the first request runs; the fault says the limit in ErrorDetails["MaxBatchSize"].
                var fault = Faults.Create(ErrorCodes.InvalidArgument, $"The number of requests ({requests.Count}) exceeds the maximum batch size of {MaxBatchSize}.");
                fault.Detail.ErrorDetails["MaxBatchSize"] = MaxBatchSize;
                throw fault;
            }

            var items = new ExecuteMultipleResponseItemCollection();
            var faulted = false;
            for (var i = 0; i < requests.Count; i++)
            {
                try
                {
                    RefuseNestedBatch(requests[i]);
                    var inner = Organization.Pipeline.Execute(requests[i], caller, isInner: true);
                    if (settings.ReturnResponses)
                    {
                        items.Add(new ExecuteMultipleResponseItem { RequestIndex = i, Response = inner });
                    }
                }
                catch (FaultException<OrganizationServiceFault> fault)
                {
                    faulted = true;
                    items.Add(new ExecuteMultipleResponseItem { RequestIndex = i, Fault = fault.Detail });
                    if (!settings.ContinueOnError)
                    {
                        break;
                    }
                }
            }

            var response = new ExecuteMultipleResponse();
            response.Results["Responses"] = items;
            response.Results["IsFaulted"] = faulted;
            return response;
        }

        /// <summary>ExecuteMultiple and ExecuteTransaction may not contain either batch message.</summary>
        public static void RefuseNestedBatch(OrganizationRequest request)
        {
            if (string.Equals(request.RequestName, MessageNames.ExecuteMultiple, System.StringComparison.OrdinalIgnoreCase)
                || string.Equals(request.RequestName, MessageNames.ExecuteTransaction, System.StringComparison.OrdinalIgnoreCase))
            {
                throw Faults.InvalidArgument($"A batch request cannot contain {request.RequestName} (recursion is not allowed).");
            }
        }
    }

    /// <summary>
    /// ExecuteTransaction: all requests in one transaction; the first fault rolls everything back and is thrown as an
    /// ExecuteTransactionFault naming the failed request's index ("Execute messages in a single database transaction").
    /// </summary>
    internal sealed class ExecuteTransactionHandler : MessageHandler
    {
        public ExecuteTransactionHandler(InMemoryOrganization organization)
            : base(organization)
        {
        }

        public override bool RunsThroughPipeline => false;

        public override OrganizationResponse ExecuteBatch(OrganizationRequest request, Caller caller)
        {
            var requests = (OrganizationRequestCollection)request.Parameters["Requests"];
            var returnResponses = request.Parameters.Contains("ReturnResponses") && request.Parameters["ReturnResponses"] is bool b && b;
            var responses = new OrganizationResponseCollection();
            Organization.Pipeline.InTransaction(() =>
            {
                for (var i = 0; i < requests.Count; i++)
                {
                    try
                    {
                        ExecuteMultipleHandler.RefuseNestedBatch(requests[i]);
                        var inner = Organization.Pipeline.Execute(requests[i], caller, isInner: true);
                        if (returnResponses)
                        {
                            responses.Add(inner);
                        }
                    }
                    catch (FaultException<OrganizationServiceFault> fault)
                    {
                        throw TransactionFault(fault.Detail, i);
                    }
                }
            });

            var response = new ExecuteTransactionResponse();
            response.Results["Responses"] = responses;
            return response;
        }

        /// <summary>
        /// What Dataverse throws when request <paramref name="index"/> fails: a FaultException whose Detail is an
        /// ExecuteTransactionFault with FaultedRequestIndex, carrying the failed request's code and message.
        /// </summary>
        private static FaultException<OrganizationServiceFault> TransactionFault(OrganizationServiceFault failed, int index)
        {
            var fault = new ExecuteTransactionFault
            {
                FaultedRequestIndex = index,
                ErrorCode = failed.ErrorCode,
                Message = failed.Message,
                Timestamp = failed.Timestamp,
                ErrorDetails = failed.ErrorDetails,
                TraceText = failed.TraceText,
            };
            return new FaultException<OrganizationServiceFault>(fault, new FaultReason(failed.Message ?? string.Empty));
        }
    }
}
