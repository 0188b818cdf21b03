using EmergencySolution.Model;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Pool
{
    /// <summary>
    /// The save step of the callback pool: a number is stored in the E.164 form Resolve matches, or refused with a
    /// message that names the value and the rule (<see cref="CallbackNumberFormat"/>). Runs on Create and on an Update
    /// of the number or the country; the other value comes from the pre-image. An Update that writes back the values
    /// already stored (the pool's row-lock claim does) is not checked again, so a claim never fails here.
    /// </summary>
    internal static class CallbackNumberValidation
    {
        public const string PreImageName = "PreImage";

        public static void NormalizeOrRefuse(LocalPluginContext context)
        {
            var target = context.Target;
            if (target == null)
            {
                return;
            }

            var execution = context.ExecutionContext;
            var before = execution.PreEntityImages.Contains(PreImageName) ? execution.PreEntityImages[PreImageName] : null;
            var numberWritten = target.Contains(CallbackNumber.Number);
            var countryWritten = target.Contains(CallbackNumber.CountryCode);
            if (execution.MessageName == "Update" && !numberWritten && !countryWritten)
            {
                return;
            }

            var number = numberWritten ? target.GetAttributeValue<string>(CallbackNumber.Number) : before?.GetAttributeValue<string>(CallbackNumber.Number);
            var country = countryWritten ? target.GetAttributeValue<string>(CallbackNumber.CountryCode) : before?.GetAttributeValue<string>(CallbackNumber.CountryCode);
            if (before != null
                && number == before.GetAttributeValue<string>(CallbackNumber.Number)
                && country == before.GetAttributeValue<string>(CallbackNumber.CountryCode))
            {
                return;
            }

            var check = CallbackNumberFormat.Check(number, country);
            if (!check.IsValid)
            {
                // Admin input: the message names the value (a pool number is the organization's line, not a person's);
                // the trace does not.
                context.Trace("ValidateCallbackNumber: refused ({0}).", PrivacySafeReason(number));
                throw new InvalidPluginExecutionException(check.Problem);
            }

            target[CallbackNumber.Number] = check.Normalized;
            target[CallbackNumber.CountryCode] = check.CountryCode;
        }

        private static string PrivacySafeReason(string? number) => Privacy.PhoneNumberPrivacy.Describe(number);
    }
}
