using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Runtime
{
    /// <summary>
    /// The one way custom API code reads its request parameters and writes its response properties. The platform has
    /// already checked each input against its registered type (SolutionPackage/src/customapis), so a typed read only has
    /// to tell a given input from a missing optional one.
    /// </summary>
    internal static class CustomApiParameters
    {
        /// <summary>The input as <typeparamref name="T"/>, or <c>default</c> when the caller left it out.</summary>
        public static T? Input<T>(this IPluginExecutionContext execution, string name) => execution.InputParameters.Read<T>(name);

        /// <summary>The parameter as <typeparamref name="T"/>, or <c>default</c> when it is not there (for code handed the inputs).</summary>
        public static T? Read<T>(this ParameterCollection parameters, string name) =>
            parameters.TryGetValue(name, out var value) && value is T typed ? typed : default;

        /// <summary>Sets one response property.</summary>
        public static void Output(this IPluginExecutionContext execution, string name, object value) =>
            execution.OutputParameters[name] = value;
    }
}
