namespace InMemoryDataverse
{
    /// <summary>
    /// The event pipeline's stages, as the numbers Dataverse stores in sdkmessageprocessingstep.stage and puts in
    /// IPluginExecutionContext.Stage ("Event execution pipeline" in the Dataverse developer guide).
    /// </summary>
    public static class PipelineStages
    {
        /// <summary>10: before the main operation, outside the database transaction when the operation starts it.</summary>
        public const int PreValidation = 10;

        /// <summary>20: inside the transaction, before the main operation.</summary>
        public const int PreOperation = 20;

        /// <summary>30: the main operation (a custom API's plugin runs here; steps cannot be registered on it).</summary>
        public const int MainOperation = 30;

        /// <summary>40: inside the transaction after the main operation (synchronous), or queued after commit (asynchronous).</summary>
        public const int PostOperation = 40;
    }

    /// <summary>sdkmessageprocessingstep.mode and IExecutionContext.Mode.</summary>
    public static class StepModes
    {
        public const int Synchronous = 0;

        public const int Asynchronous = 1;
    }

    /// <summary>sdkmessageprocessingstepimage.imagetype.</summary>
    public static class StepImageTypes
    {
        public const int PreImage = 0;

        public const int PostImage = 1;

        public const int Both = 2;
    }

    /// <summary>customapi.bindingtype.</summary>
    public static class CustomApiBindingTypes
    {
        public const int Global = 0;

        public const int Entity = 1;

        public const int EntityCollection = 2;
    }

    /// <summary>The message names the harness handles itself (one <see cref="MessageHandler"/> each, see <see cref="MessageTable"/>).</summary>
    internal static class MessageNames
    {
        public const string Create = "Create";
        public const string Retrieve = "Retrieve";
        public const string RetrieveMultiple = "RetrieveMultiple";
        public const string Update = "Update";
        public const string Delete = "Delete";
        public const string Upsert = "Upsert";
        public const string Associate = "Associate";
        public const string Disassociate = "Disassociate";
        public const string SetState = "SetState";
        public const string WhoAmI = "WhoAmI";
        public const string SendEmail = "SendEmail";
        public const string InstantiateTemplate = "InstantiateTemplate";
        public const string ExecuteMultiple = "ExecuteMultiple";
        public const string ExecuteTransaction = "ExecuteTransaction";
    }
}
