using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace InMemoryDataverse
{
    public sealed partial class InMemoryOrganization
    {
        // The value: whether every request of that user ran with privilege checks on.
        private readonly ConcurrentDictionary<Guid, bool> _actingUsers = new ConcurrentDictionary<Guid, bool>();

        /// <summary>
        /// Every user other than SYSTEM who executed a request here: through a test's own service
        /// (<c>CreateOrganizationService(userId)</c>) or through a plugin's service created for that user. A test suite
        /// uses it to prove that whoever acted as a user was checked (<see cref="UsersActedWithoutPrivilegeChecks"/>).
        /// </summary>
        public IReadOnlyCollection<Guid> ActingUsers => _actingUsers.Keys.ToArray();

        /// <summary>The users of <see cref="ActingUsers"/> who executed at least one request while <see cref="EnforceTablePrivileges"/> was off.</summary>
        public IReadOnlyCollection<Guid> UsersActedWithoutPrivilegeChecks => _actingUsers.Where(u => !u.Value).Select(u => u.Key).ToArray();

        internal void NoteActingUser(Guid userId)
        {
            if (userId == SystemUserId)
            {
                return;
            }

            // "Checked before and now", without a lambda: a closure here would cost every request an object.
            if (EnforceTablePrivileges)
            {
                _actingUsers.TryAdd(userId, true);
            }
            else
            {
                _actingUsers[userId] = false;
            }
        }
    }
}
