using System;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>A message for <see cref="IOrganizationService.Execute"/>: a name and its parameters.</summary>
    [DataContract(Name = "OrganizationRequest", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public class OrganizationRequest : IExtensibleDataObject
    {
        private ParameterCollection _parameters;

        public OrganizationRequest()
        {
        }

        public OrganizationRequest(string requestName)
        {
            RequestName = requestName;
        }

        [DataMember]
        public string RequestName { get; set; }

        [DataMember]
        public Guid? RequestId { get; set; }

        [DataMember]
        public ParameterCollection Parameters
        {
            get { return _parameters ?? (_parameters = new ParameterCollection()); }
            set { _parameters = value; }
        }

        /// <summary>A parameter by name; the getter throws for a missing one, like the collection.</summary>
        public object this[string parameterName]
        {
            get { return Parameters[parameterName]; }
            set { Parameters[parameterName] = value; }
        }

        public ExtensionDataObject ExtensionData { get; set; }

        // Typed requests read their parameters like this: a missing parameter reads as the fallback, as the real ones do.
        internal T GetParameter<T>(string key, T fallback = default(T))
        {
            return Parameters.TryGetValue(key, out object value) ? (T)value : fallback;
        }
    }

    /// <summary>The answer to an <see cref="OrganizationRequest"/>: a name and its results.</summary>
    [DataContract(Name = "OrganizationResponse", Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts")]
    public class OrganizationResponse : IExtensibleDataObject
    {
        private ParameterCollection _results;

        [DataMember]
        public string ResponseName { get; set; }

        [DataMember]
        public ParameterCollection Results
        {
            get { return _results ?? (_results = new ParameterCollection()); }
            set { _results = value; }
        }

        public object this[string parameterName]
        {
            get { return Results[parameterName]; }
            set { Results[parameterName] = value; }
        }

        public ExtensionDataObject ExtensionData { get; set; }

        // Typed responses read their results like this: a missing result reads as default, as the real ones do.
        internal T GetResult<T>(string key)
        {
            return Results.TryGetValue(key, out object value) && value != null ? (T)value : default(T);
        }
    }
}
