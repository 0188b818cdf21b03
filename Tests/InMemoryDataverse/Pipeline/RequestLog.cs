using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse
{
    /// <summary>
    /// Every request the organization executed, in order, as a compact summary: message, table, row, depth, user,
    /// calling plugin, inner or not, and the failure if it failed. The request objects themselves (and so the caller's
    /// entities and queries) are kept only when <see cref="KeepRequests"/> is on, so a long run does not keep every
    /// request alive. Summaries sit in blocks of <see cref="BlockSize"/> slots: no object per request. Thread-safe.
    /// </summary>
    internal sealed class RequestLog
    {
        public const int BlockSize = 512;

        private readonly object _lock = new object();
        private Storage _storage = new Storage();

        /// <summary>Keep each request object too, for <see cref="ExecutedRequest.Request"/> (off by default).</summary>
        public bool KeepRequests { get; set; }

        /// <summary>A snapshot of the log: later requests are not in it, and ClearRequestLog does not empty it.</summary>
        public IReadOnlyList<ExecutedRequest> Entries
        {
            get
            {
                lock (_lock)
                {
                    return new Snapshot(this, _storage, _storage.Count);
                }
            }
        }

        public Position Add(OrganizationRequest request, int depth, Caller caller, bool isInner)
        {
            var (entityName, entityId) = Describe(request);
            lock (_lock)
            {
                var storage = _storage;
                var index = storage.Count;
                if (index % BlockSize == 0 && index / BlockSize == storage.Blocks.Count)
                {
                    storage.Blocks.Add(new Summary[BlockSize]);
                }

                ref var slot = ref storage.Blocks[index / BlockSize][index % BlockSize];
                slot.MessageName = request.RequestName;
                slot.EntityName = entityName;
                slot.EntityId = entityId ?? Guid.Empty;
                slot.Depth = depth;
                slot.UserId = caller.UserId;
                slot.PluginTypeName = caller.PluginTypeName;
                slot.IsInner = isInner;
                if (KeepRequests)
                {
                    (storage.Requests ??= new Dictionary<int, OrganizationRequest>())[index] = request;
                }

                storage.Count = index + 1;
                return new Position(storage, index);
            }
        }

        /// <summary>What the request at <paramref name="position"/> threw.</summary>
        public void RecordFailure(Position position, Exception exception)
        {
            lock (_lock)
            {
                (position.Storage.Failures ??= new Dictionary<int, Exception>())[position.Index] = exception;
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                // A new storage: snapshots taken before keep what they saw.
                _storage = new Storage();
            }
        }

        public int Count(Func<ExecutedRequest, bool> predicate)
        {
            var count = 0;
            foreach (var entry in Entries)
            {
                if (predicate(entry))
                {
                    count++;
                }
            }

            return count;
        }

        /// <summary>Requests of a message (case-insensitive), optionally on one table, counted on the summaries without building entries.</summary>
        public int Count(string messageName, string? entityName)
        {
            lock (_lock)
            {
                var storage = _storage;
                var count = 0;
                for (var i = 0; i < storage.Count; i++)
                {
                    ref var slot = ref storage.Blocks[i / BlockSize][i % BlockSize];
                    if (string.Equals(slot.MessageName, messageName, StringComparison.OrdinalIgnoreCase) && (entityName == null || slot.EntityName == entityName))
                    {
                        count++;
                    }
                }

                return count;
            }
        }

        private ExecutedRequest Entry(Storage storage, int index)
        {
            lock (_lock)
            {
                ref var slot = ref storage.Blocks[index / BlockSize][index % BlockSize];
                Exception? failure = null;
                storage.Failures?.TryGetValue(index, out failure);
                OrganizationRequest? request = null;
                storage.Requests?.TryGetValue(index, out request);
                return new ExecutedRequest(index + 1, slot.MessageName, slot.EntityName, slot.EntityId == Guid.Empty ? (Guid?)null : slot.EntityId,
                    slot.Depth, slot.UserId, slot.PluginTypeName, slot.IsInner, request, failure);
            }
        }

        /// <summary>Where one request's summary is, for recording its failure (in the storage it was added to).</summary>
        internal readonly struct Position
        {
            public Position(Storage storage, int index)
            {
                Storage = storage;
                Index = index;
            }

            public Storage Storage { get; }

            public int Index { get; }
        }

        internal sealed class Storage
        {
            public List<Summary[]> Blocks { get; } = new List<Summary[]>();

            public int Count { get; set; }

            /// <summary>Failures by index: few, so kept aside rather than in every slot.</summary>
            public Dictionary<int, Exception>? Failures { get; set; }

            /// <summary>The request objects by index, only when the organization keeps them.</summary>
            public Dictionary<int, OrganizationRequest>? Requests { get; set; }
        }

        /// <summary>One request's summary: strings the request already had, two ids, two small numbers.</summary>
        internal struct Summary
        {
            public string MessageName;
            public string? EntityName;
            public string? PluginTypeName;
            public Guid EntityId;
            public Guid UserId;
            public int Depth;
            public bool IsInner;
        }

        /// <summary>The log up to a count, read entry by entry (each entry is built when read).</summary>
        private sealed class Snapshot : IReadOnlyList<ExecutedRequest>
        {
            private readonly RequestLog _log;
            private readonly Storage _storage;

            public Snapshot(RequestLog log, Storage storage, int count)
            {
                _log = log;
                _storage = storage;
                Count = count;
            }

            public int Count { get; }

            public ExecutedRequest this[int index] =>
                index >= 0 && index < Count ? _log.Entry(_storage, index) : throw new ArgumentOutOfRangeException(nameof(index));

            public IEnumerator<ExecutedRequest> GetEnumerator()
            {
                for (var i = 0; i < Count; i++)
                {
                    yield return _log.Entry(_storage, i);
                }
            }

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }

        /// <summary>The table (and row) a request is about: Target, EntityMoniker, the query's table, or a message's own id parameter.</summary>
        public static (string? EntityName, Guid? EntityId) Describe(OrganizationRequest request)
        {
            var parameters = request.Parameters;
            object? subject = parameters.TryGetValue("Target", out var target) ? target
                : parameters.TryGetValue("EntityMoniker", out var moniker) ? moniker
                : parameters.TryGetValue("Query", out var queryValue) ? queryValue
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

    /// <summary>One request the organization executed, for round-trip and behaviour assertions.</summary>
    public sealed class ExecutedRequest
    {
        private readonly OrganizationRequest? _request;

        internal ExecutedRequest(int sequence, string messageName, string? entityName, Guid? entityId, int depth, Guid userId, string? pluginTypeName, bool isInner, OrganizationRequest? request, Exception? failure)
        {
            Sequence = sequence;
            MessageName = messageName;
            EntityName = entityName;
            EntityId = entityId;
            Depth = depth;
            UserId = userId;
            PluginTypeName = pluginTypeName;
            IsInner = isInner;
            _request = request;
            Failure = failure;
        }

        /// <summary>Position in the log, from 1.</summary>
        public int Sequence { get; }

        public string MessageName { get; }

        /// <summary>The table the request is about (Target, EntityMoniker, query entity), when it has one.</summary>
        public string? EntityName { get; }

        public Guid? EntityId { get; }

        /// <summary>Execution depth of the request: 1 for a call from outside, parent depth + 1 for a plugin's call.</summary>
        public int Depth { get; }

        /// <summary>The user the request ran as.</summary>
        public Guid UserId { get; }

        /// <summary>True when plugin code issued the request through the organization service.</summary>
        public bool FromPlugin => PluginTypeName != null;

        /// <summary>Full name of the plugin type whose code issued the request; null for calls from outside.</summary>
        public string? PluginTypeName { get; }

        /// <summary>True for a request inside an ExecuteMultiple/ExecuteTransaction (not a round trip of its own).</summary>
        public bool IsInner { get; }

        /// <summary>True when this is one IOrganizationService call made by plugin code.</summary>
        public bool IsRoundTripFromPlugin => FromPlugin && !IsInner;

        /// <summary>
        /// The request object the caller sent (the same instance). Kept only when the organization's
        /// <see cref="InMemoryOrganization.KeepRequestsInLog"/> was on when the request ran; otherwise reading it throws,
        /// saying so, as the log then keeps only the summary above.
        /// </summary>
        public OrganizationRequest Request => _request ?? throw new InvalidOperationException(
            $"The request log keeps a summary of request #{Sequence} ({MessageName}), not the request: set KeepRequestsInLog = true on the organization before the requests run to read ExecutedRequest.Request.");

        /// <summary>What the request threw (fault or exception), or null when it succeeded.</summary>
        public Exception? Failure { get; }

        public bool Succeeded => Failure == null;

        public override string ToString() =>
            $"#{Sequence} {MessageName} {EntityName} depth={Depth}{(FromPlugin ? " from " + PluginTypeName : string.Empty)}{(IsInner ? " (inner)" : string.Empty)}";
    }
}
