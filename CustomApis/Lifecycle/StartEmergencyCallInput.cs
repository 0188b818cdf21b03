using System;
using System.Globalization;
using System.Linq;
using EmergencySolution.Configuration;
using EmergencySolution.Privacy;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.CustomApis.Lifecycle
{
    /// <summary>
    /// The checked inputs of emc_StartEmergencyCall. These are the ONLY reasons Start refuses: a number that is
    /// not an emergency number for the country, an unsupported country, and malformed or oversized input. The
    /// messages name the offending value, except that a dialed number is described by its length only (see
    /// <see cref="PhoneNumberPrivacy"/>): an exception message ends up in traces and client logs.
    /// </summary>
    internal sealed class StartEmergencyCallInput
    {
        /// <summary>Longer than any dialable string with separators; anything beyond is not a dialed number.</summary>
        public const int MaxDialedNumberLength = 32;

        public const int MaxCountryCodeLength = 16;

        /// <summary>A dispatchable address fits comfortably; the column is multiline text.</summary>
        public const int MaxLocationLength = 2000;

        public const int MaxOriginNumberTypeLength = 64;

        // Characters a dialer may send around the digits; anything else (letters, markup) is malformed input.
        private const string DialSeparators = " +-().*#/";

        private StartEmergencyCallInput(string dialedDigits, string countryCode, Guid? conversationId,
            string? originNumberType, string? location)
        {
            DialedDigits = dialedDigits;
            CountryCode = countryCode;
            ConversationId = conversationId;
            OriginNumberType = originNumberType;
            Location = location;
        }

        /// <summary>The dialed number reduced to its digits ("9-1-1" → "911"); what the call row stores.</summary>
        public string DialedDigits { get; }

        /// <summary>Upper-case ISO alpha-2 code of a supported country.</summary>
        public string CountryCode { get; }

        public Guid? ConversationId { get; }

        public string? OriginNumberType { get; }

        public string? Location { get; }

        public static StartEmergencyCallInput Parse(ParameterCollection inputs, EmergencyConfiguration configuration)
        {
            var dialed = GetString(inputs, "DialedNumber");
            var country = GetString(inputs, "CountryCode");
            var origin = GetString(inputs, "OriginNumberType");
            var location = GetString(inputs, "Location");
            Guid? conversationId = null;
            if (inputs.Contains("ConversationId") && inputs["ConversationId"] is Guid id && id != Guid.Empty)
            {
                conversationId = id;
            }

            var countryCode = CheckCountry(country, configuration);
            var digits = CheckDialedNumber(dialed, countryCode, configuration);

            origin = string.IsNullOrWhiteSpace(origin) ? null : origin!.Trim();
            if (origin != null && origin.Length > MaxOriginNumberTypeLength)
            {
                throw new InvalidPluginExecutionException(string.Format(CultureInfo.InvariantCulture,
                    "OriginNumberType is {0} characters long; at most {1} are accepted (CallingPlan, DirectOffer or DirectRouting).",
                    origin.Length, MaxOriginNumberTypeLength));
            }

            location = string.IsNullOrWhiteSpace(location) ? null : location!.Trim();
            if (location != null && location.Length > MaxLocationLength)
            {
                throw new InvalidPluginExecutionException(string.Format(CultureInfo.InvariantCulture,
                    "Location is {0} characters long; at most {1} are accepted for a dispatchable address.",
                    location.Length, MaxLocationLength));
            }

            if (location != null)
            {
                // Keep line breaks (an address has lines) but drop other control characters: they have no place
                // in an address and would corrupt the email and the row.
                location = new string(location.Where(c => c == '\n' || c == '\r' || c == '\t' || !char.IsControl(c)).ToArray());
            }

            return new StartEmergencyCallInput(digits, countryCode, conversationId, origin, location);
        }

        private static string CheckCountry(string? country, EmergencyConfiguration configuration)
        {
            var supported = string.Join(", ", configuration.SupportedCountries);
            if (string.IsNullOrWhiteSpace(country))
            {
                throw new InvalidPluginExecutionException(
                    "CountryCode is empty. Send the browser location's two-letter country code; supported: " + supported + ".");
            }

            var trimmed = country!.Trim();
            if (trimmed.Length > MaxCountryCodeLength)
            {
                throw new InvalidPluginExecutionException(string.Format(CultureInfo.InvariantCulture,
                    "CountryCode is {0} characters long; expected a two-letter ISO country code (supported: {1}).",
                    trimmed.Length, supported));
            }

            var code = EmergencyConfiguration.NormalizeCountry(trimmed);
            if (code == null)
            {
                throw new InvalidPluginExecutionException("CountryCode \"" + Printable(trimmed) +
                    "\" is not a two-letter ISO country code; supported: " + supported + ".");
            }

            if (!configuration.IsSupportedCountry(code))
            {
                throw new InvalidPluginExecutionException("Emergency calling is not supported in country \"" + code +
                    "\"; supported: " + supported + " (environment variable emc_EmergencyNumbers).");
            }

            return code;
        }

        private static string CheckDialedNumber(string? dialed, string countryCode, EmergencyConfiguration configuration)
        {
            var numbers = string.Join(", ", configuration.EmergencyNumbersFor(countryCode));
            if (string.IsNullOrWhiteSpace(dialed))
            {
                throw new InvalidPluginExecutionException(
                    "DialedNumber is empty. The emergency numbers for " + countryCode + " are " + numbers + ".");
            }

            if (dialed!.Length > MaxDialedNumberLength)
            {
                throw new InvalidPluginExecutionException(string.Format(CultureInfo.InvariantCulture,
                    "DialedNumber is {0} characters long; at most {1} are accepted. The emergency numbers for {2} are {3}.",
                    dialed.Length, MaxDialedNumberLength, countryCode, numbers));
            }

            var invalidAt = IndexOfInvalid(dialed);
            if (invalidAt >= 0)
            {
                var invalid = dialed[invalidAt];
                throw new InvalidPluginExecutionException(string.Format(CultureInfo.InvariantCulture,
                    "DialedNumber contains '{0}', which is not a digit or a dial separator; the emergency numbers for {1} are {2}.",
                    char.IsControl(invalid) ? "U+" + ((int)invalid).ToString("X4", CultureInfo.InvariantCulture) : invalid.ToString(),
                    countryCode, numbers));
            }

            var digits = EmergencyConfiguration.DigitsOnly(dialed);
            if (digits.Length == 0)
            {
                throw new InvalidPluginExecutionException(
                    "DialedNumber has no digits. The emergency numbers for " + countryCode + " are " + numbers + ".");
            }

            if (!configuration.IsEmergencyNumber(countryCode, digits))
            {
                // The value is named by its length only: a non-emergency number may be a private line.
                throw new InvalidPluginExecutionException("DialedNumber (" + PhoneNumberPrivacy.Describe(digits) +
                    ") is not an emergency number for " + countryCode + "; the emergency numbers for " + countryCode +
                    " are " + numbers + ". Only emergency calls are started here.");
            }

            return digits;
        }

        private static int IndexOfInvalid(string dialed)
        {
            for (var index = 0; index < dialed.Length; index++)
            {
                var character = dialed[index];
                if (!(character >= '0' && character <= '9') && DialSeparators.IndexOf(character) < 0)
                {
                    return index;
                }
            }

            return -1;
        }

        private static string? GetString(ParameterCollection inputs, string name)
        {
            return inputs.Contains(name) ? inputs[name] as string : null;
        }

        private static string Printable(string value)
        {
            return new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        }
    }
}
