using System;
using System.Collections.Generic;
using System.Linq;

namespace InMemoryDataverse
{
    /// <summary>
    /// The order of queued asynchronous operations, under the test's control. Dataverse promises no order between
    /// asynchronous steps of different operations (each is a system job of its own), so code that must be right "whatever
    /// the order" is tested by running the same queue in every order.
    /// </summary>
    public sealed partial class InMemoryOrganization
    {
        /// <summary>The queued asynchronous operations, first to run first: "step name | message | primary entity id".</summary>
        public IReadOnlyList<string> PendingAsyncOperations =>
            Pipeline.Async.Snapshot().Select(p => p.Step.Name + " | " + p.Context.MessageName + " | " + p.Context.PrimaryEntityId).ToList();

        /// <summary>
        /// Puts the queued asynchronous operations in the given order: <paramref name="order"/> is a permutation of
        /// 0..<see cref="PendingAsyncOperationCount"/>-1, naming today's positions. Run them with <see cref="RunPendingAsyncOperations"/>.
        /// </summary>
        public void ReorderPendingAsyncOperations(IReadOnlyList<int> order)
        {
            var queued = Pipeline.Async.Snapshot();
            if (order == null || order.Count != queued.Count || order.Distinct().Count() != queued.Count || order.Any(i => i < 0 || i >= queued.Count))
            {
                throw new ArgumentException($"The order must name each of the {queued.Count} queued operations once.", nameof(order));
            }

            Pipeline.Async.Replace(order.Select(index => queued[index]));
        }
    }
}
