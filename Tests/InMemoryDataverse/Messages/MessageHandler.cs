using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace InMemoryDataverse
{
    /// <summary>
    /// One message's main operation (stage 30). Pipeline messages get the operation's context; batch messages
    /// (<see cref="RunsThroughPipeline"/> false) get the request itself and run their inner requests one by one.
    /// </summary>
    internal abstract class MessageHandler
    {
        protected MessageHandler(InMemoryOrganization organization)
        {
            Organization = organization;
        }

        protected InMemoryOrganization Organization { get; }

        protected EntityStore Store => Organization.Store;

        protected MetadataRegistry Metadata => Organization.Metadata;

        /// <summary>True when the message only reads: its failure does not end the surrounding transaction.</summary>
        public virtual bool ReadsOnly => false;

        /// <summary>False for ExecuteMultiple/ExecuteTransaction: no steps, no context of their own.</summary>
        public virtual bool RunsThroughPipeline => true;

        /// <summary>The main operation of a pipeline message.</summary>
        public virtual OrganizationResponse Execute(PluginExecutionContext context, Caller caller) =>
            throw new NotSupportedException($"{GetType().Name} runs outside the pipeline.");

        /// <summary>A batch message, run without a pipeline context.</summary>
        public virtual OrganizationResponse ExecuteBatch(OrganizationRequest request, Caller caller) =>
            throw new NotSupportedException($"{GetType().Name} runs through the pipeline.");

        protected static T RequiredParameter<T>(PluginExecutionContext context, string name)
        {
            if (!context.InputParameters.Contains(name) || !(context.InputParameters[name] is T value))
            {
                throw Faults.InvalidArgument($"{context.MessageName} needs the parameter '{name}' of type {typeof(T).Name}.");
            }

            return value;
        }
    }

    /// <summary>The messages the harness implements, one handler each; looked up by name (case-insensitive).</summary>
    internal sealed class MessageTable
    {
        private readonly Dictionary<string, MessageHandler> _handlers;

        public MessageTable(InMemoryOrganization organization)
        {
            _handlers = new Dictionary<string, MessageHandler>(StringComparer.OrdinalIgnoreCase)
            {
                [MessageNames.Create] = new CreateHandler(organization),
                [MessageNames.Retrieve] = new RetrieveHandler(organization),
                [MessageNames.RetrieveMultiple] = new RetrieveMultipleHandler(organization),
                [MessageNames.Update] = new UpdateHandler(organization),
                [MessageNames.Delete] = new DeleteHandler(organization),
                [MessageNames.Upsert] = new UpsertHandler(organization),
                [MessageNames.Associate] = new AssociateHandler(organization, associate: true),
                [MessageNames.Disassociate] = new AssociateHandler(organization, associate: false),
                [MessageNames.SetState] = new SetStateHandler(organization),
                [MessageNames.WhoAmI] = new WhoAmIHandler(organization),
                [MessageNames.SendEmail] = new SendEmailHandler(organization),
                [MessageNames.InstantiateTemplate] = new InstantiateTemplateHandler(organization),
                [MessageNames.ExecuteMultiple] = new ExecuteMultipleHandler(organization),
                [MessageNames.ExecuteTransaction] = new ExecuteTransactionHandler(organization),
            };
        }

        public MessageHandler? Find(string messageName) => _handlers.TryGetValue(messageName, out var handler) ? handler : null;

        public bool ReadsOnly(string messageName) => _handlers.TryGetValue(messageName, out var handler) && handler.ReadsOnly;
    }
}
