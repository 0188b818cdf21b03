using EmergencySolution.Model;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Model
{
    /// <summary>
    /// The agent's time zone rides along on a query that already reads the agent: systemuser → usersettings
    /// (timezonecode) → timezonedefinition (standardname, a Windows time zone id). Folding it in saves the round
    /// trip a LocalTimeFromUtcTime request or a second query would cost.
    /// </summary>
    internal static class AgentTimeZoneLinks
    {
        /// <summary>Alias of the linked timezonedefinition; read <c>tz.standardname</c> as an AliasedValue.</summary>
        public const string TimeZoneAlias = "tz";

        private const string SettingsAlias = "tzsettings";

        /// <summary>Adds the links to a query whose root table is systemuser.</summary>
        public static void AddTo(QueryExpression userQuery)
        {
            Complete(userQuery.AddLink(UserSettings.EntityName, SystemUser.Id, UserSettings.SystemUserId, JoinOperator.LeftOuter));
        }

        /// <summary>Adds the links below a link to systemuser.</summary>
        public static void AddTo(LinkEntity userLink)
        {
            Complete(userLink.AddLink(UserSettings.EntityName, SystemUser.Id, UserSettings.SystemUserId, JoinOperator.LeftOuter));
        }

        private static void Complete(LinkEntity settings)
        {
            settings.EntityAlias = SettingsAlias;
            settings.Columns = new ColumnSet(UserSettings.TimeZoneCode);
            var timeZone = settings.AddLink(TimeZoneDefinition.EntityName, UserSettings.TimeZoneCode, TimeZoneDefinition.TimeZoneCode, JoinOperator.LeftOuter);
            timeZone.EntityAlias = TimeZoneAlias;
            timeZone.Columns = new ColumnSet(TimeZoneDefinition.StandardName);
        }
    }
}
