using EmergencySolution.Runtime;
using EmergencySolution.Triggers;

namespace EmergencySolution.Plugins
{
    /// <summary>
    /// msdyn_ocliveworkitem Update filtered to statecode, PostOperation, asynchronous: ends the emergency calls of a
    /// closed conversation (<see cref="ConversationClosed"/>), the safety net for a panel that never sent End.
    /// </summary>
    public sealed class ConversationClosedPlugin : PluginBase
    {
        public ConversationClosedPlugin()
        {
        }

        public ConversationClosedPlugin(string? unsecureConfiguration, string? secureConfiguration)
            : base(unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteCore(LocalPluginContext context) => ConversationClosed.EndItsEmergencyCalls(context);
    }
}
