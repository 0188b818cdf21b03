using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    /// <summary>Every request the organization executed, in order; safe to add to from several threads.</summary>
    internal sealed class RequestLog
    {
        private readonly List<ExecutedRequest> _entries = new List<ExecutedRequest>();

        public IReadOnlyList<ExecutedRequest> Entries
        {
            get
            {
                lock (_entries)
                {
                    return _entries.ToArray();
                }
            }
        }

        public ExecutedRequest Add(OrganizationRequest request, int depth, Caller caller, bool isInner)
        {
            var (entityName, entityId) = Describe(request);
            lock (_entries)
            {
                var entry = new ExecutedRequest(_entries.Count + 1, request.RequestName, entityName, entityId, depth, caller.UserId, caller.PluginTypeName, isInner, request);
                _entries.Add(entry);
                return entry;
            }
        }

        public void Clear()
        {
            lock (_entries)
            {
                _entries.Clear();
            }
        }

        public int Count(Func<ExecutedRequest, bool> predicate)
        {
            lock (_entries)
            {
                return _entries.Count(predicate);
            }
        }

        /// <summary>The table (and row) a request is about: Target, EntityMoniker, the query's table, or a message's own id parameter.</summary>
        public static (string? EntityName, Guid? EntityId) Describe(OrganizationRequest request)
        {
            var parameters = request.Parameters;
            object? subject = parameters.Contains("Target") ? parameters["Target"]
                : parameters.Contains("EntityMoniker") ? parameters["EntityMoniker"]
                : parameters.Contains("Query") ? parameters["Query"]
                : null;
            switch (subject)
            {
                case Entity entity: return (entity.LogicalName, entity.Id == Guid.Empty ? (Guid?)null : entity.Id);
                case EntityReference reference: return (reference.LogicalName, reference.Id == Guid.Empty ? (Guid?)null : reference.Id);
                case QueryExpression query: return (query.EntityName, null);
                case QueryByAttribute query: return (query.EntityName, null);
                case FetchExpression fetch:
                    var match = Regex.Match(fetch.Query ?? string.Empty, "<entity\\s+name=[\"']([^\"']+)[\"']");
                    return (match.Success ? match.Groups[1].Value : null, null);
            }

            if (request.RequestName == MessageNames.SendEmail && parameters.Contains("EmailId") && parameters["EmailId"] is Guid emailId)
            {
                return ("email", emailId);
            }

            if (request.RequestName == MessageNames.InstantiateTemplate && parameters.Contains("TemplateId") && parameters["TemplateId"] is Guid templateId)
            {
                return ("template", templateId);
            }

            return (null, null);
        }
    }

    /// <summary>Faults a test injects: every request matching a predicate throws, until cleared.</summary>
    internal sealed class FailureInjection
    {
        private readonly List<(Func<OrganizationRequest, bool> Predicate, Func<Exception> Failure)> _failures = new List<(Func<OrganizationRequest, bool>, Func<Exception>)>();
        private volatile int _count;

        public void Add(Func<OrganizationRequest, bool> predicate, Func<Exception> failure)
        {
            lock (_failures)
            {
                _failures.Add((predicate, failure));
                _count = _failures.Count;
            }
        }

        public void Clear()
        {
            lock (_failures)
            {
                _failures.Clear();
                _count = 0;
            }
        }

        public void ThrowIfInjected(OrganizationRequest request)
        {
            if (_count == 0)
            {
                return;
            }

            (Func<OrganizationRequest, bool> Predicate, Func<Exception> Failure)[] failures;
            lock (_failures)
            {
                failures = _failures.ToArray();
            }

            // Predicates run outside the lock: a test's hook may run requests of its own.
            foreach (var (predicate, failure) in failures)
            {
                if (predicate(request))
                {
                    throw failure();
                }
            }
        }
    }

    /// <summary>A message's main operation replaced by a test (AddMessageHandler); registered steps still run around it.</summary>
    internal sealed class ReplacedMessageHandler : MessageHandler
    {
        private readonly string _messageName;
        private readonly Func<OrganizationRequest, ExecutionInfo?, OrganizationResponse> _handler;

        public ReplacedMessageHandler(InMemoryOrganization organization, string messageName, Func<OrganizationRequest, ExecutionInfo?, OrganizationResponse> handler)
            : base(organization)
        {
            _messageName = messageName;
            _handler = handler;
        }

        public override OrganizationResponse Execute(PluginExecutionContext context, Caller caller)
        {
            var forwarded = new OrganizationRequest(_messageName) { Parameters = context.InputParameters, RequestId = context.RequestId };
            return _handler(forwarded, new ExecutionInfo(Organization, caller.UserId, caller.InitiatingUserId, caller.Depth, caller.PluginTypeName, context))
                ?? new OrganizationResponse { ResponseName = _messageName };
        }
    }
}
