using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EmergencySolution.Configuration;
using EmergencySolution.Guards;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Lifecycle
{
    /// <summary>
    /// The checked inputs of emc_StartEmergencyCall. These are the ONLY reasons Start refuses: a dialed number that is an
    /// emergency number of no configured country, and a malformed dialed number. A country code that is empty, malformed
    /// or not configured is recorded with a warning instead (a trigger cannot know the browser's country): the call goes
    /// on under the country whose emergency number was dialed, or with no country. The optional inputs never refuse a
    /// call either: an oversized Location is cut to its first 2000 characters and an oversized OriginNumberType counts as
    /// unknown, each with a line in <see cref="Warnings"/>. The messages name the offending value, except that a dialed
    /// number is described by its length only (see <see cref="PhoneNumberPrivacy"/>): an exception message ends up in
    /// traces and client logs.
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

        private StartEmergencyCallInput(string dialedDigits, string countryCode, Guid? conversationId, Guid? idempotencyKey,
            string? originNumberType, string? location, IReadOnlyList<string> warnings)
        {
            IdempotencyKey = idempotencyKey;
            Warnings = warnings;
            DialedDigits = dialedDigits;
            CountryCode = countryCode;
            ConversationId = conversationId;
            OriginNumberType = originNumberType;
            Location = location;
        }

        /// <summary>The emergency number that was dialed, digits only ("9-1-1", "+1 911", "911#" → "911"); what the call row stores.</summary>
        public string DialedDigits { get; }

        /// <summary>Upper-case ISO alpha-2 code of a configured country; empty when no configured country fits the call.</summary>
        public string CountryCode { get; }

        public Guid? ConversationId { get; }

        /// <summary>The sender's key for this dial (the same on every retry); it becomes the call's row id.</summary>
        public Guid? IdempotencyKey { get; }

        public string? OriginNumberType { get; }

        public string? Location { get; }

        /// <summary>What was done to an optional input instead of refusing the call; returned with Start's warnings.</summary>
        public IReadOnlyList<string> Warnings { get; }

        public static StartEmergencyCallInput Parse(ParameterCollection inputs, EmergencyConfiguration configuration)
        {
            var dialed = inputs.Read<string>(ParameterNames.DialedNumber);
            var country = inputs.Read<string>(ParameterNames.CountryCode);
            var origin = inputs.Read<string>(ParameterNames.OriginNumberType);
            var location = inputs.Read<string>(ParameterNames.Location);
            var conversationId = NonEmpty(inputs.Read<Guid>(ParameterNames.ConversationId));
            var idempotencyKey = NonEmpty(inputs.Read<Guid>(ParameterNames.IdempotencyKey));

            var warnings = new List<string>();
            var countryProblem = CheckCountry(country, configuration, out var countryCode);
            var digits = CheckDialedNumber(dialed, countryProblem == null ? countryCode : string.Empty, configuration);
            if (countryProblem != null)
            {
                // Recorded, never refused: a trigger cannot know the browser's country, and the number is an emergency
                // number of a configured country. A well-formed code is kept as the truth about where the agent is.
                warnings.Add(countryProblem + (countryCode.Length > 0
                    ? " The call is recorded for " + countryCode + ", without a callback number."
                    : " The call is recorded without a country or a callback number."));
            }

            origin = string.IsNullOrWhiteSpace(origin) ? null : origin!.Trim();
            if (origin != null && origin.Length > MaxOriginNumberTypeLength)
            {
                // Not a value we know (CallingPlan, DirectOffer, DirectRouting): treated as unknown, which the readiness
                // rules turn into their own "the carrier must handle emergency calls" line. The value is not echoed.
                warnings.Add(string.Format(CultureInfo.InvariantCulture,
                    "OriginNumberType was {0} characters long (at most {1}: CallingPlan, DirectOffer or DirectRouting); it was treated as unknown.",
                    origin.Length, MaxOriginNumberTypeLength));
                origin = null;
            }

            location = string.IsNullOrWhiteSpace(location) ? null : location!.Trim();
            if (location != null)
            {
                // Keep line breaks (an address has lines) but drop other control characters: they have no place
                // in an address and would corrupt the email and the row.
                location = new string(location.Where(c => c == '\n' || c == '\r' || c == '\t' || !char.IsControl(c)).ToArray());
                if (location.Length > MaxLocationLength)
                {
                    // The start of an address carries the street and number, which dispatch needs most; a long tail is
                    // cut rather than the call refused. Never split a surrogate pair.
                    var keep = char.IsHighSurrogate(location[MaxLocationLength - 1]) ? MaxLocationLength - 1 : MaxLocationLength;
                    warnings.Add(string.Format(CultureInfo.InvariantCulture,
                        "Location was {0} characters long; only the first {1} were kept. Check the location on the call.",
                        location.Length, keep));
                    location = location.Substring(0, keep);
                }
            }

            return new StartEmergencyCallInput(digits, countryCode, conversationId, idempotencyKey, origin, location, warnings);
        }

        /// <returns>Null when the country is configured; otherwise the reason, for a warning. <paramref name="code"/> is the
        /// upper-case two-letter code whenever the input is one (configured or not), else empty.</returns>
        private static string? CheckCountry(string? country, EmergencyConfiguration configuration, out string code)
        {
            code = string.Empty;
            var supported = string.Join(", ", configuration.SupportedCountries);
            if (string.IsNullOrWhiteSpace(country))
            {
                return "CountryCode is empty (the browser location's two-letter country code; supported: " + supported + ").";
            }

            var trimmed = country!.Trim();
            if (trimmed.Length > MaxCountryCodeLength)
            {
                return string.Format(CultureInfo.InvariantCulture,
                    "CountryCode is {0} characters long; expected a two-letter ISO country code (supported: {1}).",
                    trimmed.Length, supported);
            }

            var normalized = EmergencyConfiguration.NormalizeCountry(trimmed);
            if (normalized == null)
            {
                return "CountryCode \"" + Printable(trimmed) + "\" is not a two-letter ISO country code; supported: " + supported + ".";
            }

            code = normalized;
            if (!configuration.IsSupportedCountry(normalized))
            {
                return "Emergency calling is not configured for country \"" + normalized + "\"; supported: " + supported +
                    " (environment variable emc_EmergencyNumbers).";
            }

            return null;
        }

        /// <param name="countryCode">The configured country of the call, or empty when it has none.</param>
        /// <returns>The emergency number, digits only.</returns>
        private static string CheckDialedNumber(string? dialed, string countryCode, EmergencyConfiguration configuration)
        {
            var numbers = countryCode.Length > 0
                ? string.Join(", ", configuration.EmergencyNumbersFor(countryCode))
                : string.Join("; ", configuration.SupportedCountries.Select(c => c + ": " + string.Join(", ", configuration.EmergencyNumbersFor(c))));
            var where = countryCode.Length > 0 ? countryCode : "the configured countries";
            if (string.IsNullOrWhiteSpace(dialed))
            {
                throw new InvalidPluginExecutionException(
                    "DialedNumber is empty. The emergency numbers for " + where + " are " + numbers + ".");
            }

            if (dialed!.Length > MaxDialedNumberLength)
            {
                throw new InvalidPluginExecutionException(string.Format(CultureInfo.InvariantCulture,
                    "DialedNumber is {0} characters long; at most {1} are accepted. The emergency numbers for {2} are {3}.",
                    dialed.Length, MaxDialedNumberLength, where, numbers));
            }

            var invalidAt = IndexOfInvalid(dialed);
            if (invalidAt >= 0)
            {
                var invalid = dialed[invalidAt];
                throw new InvalidPluginExecutionException(string.Format(CultureInfo.InvariantCulture,
                    "DialedNumber contains '{0}', which is not a digit or a dial separator; the emergency numbers for {1} are {2}.",
                    char.IsControl(invalid) ? "U+" + ((int)invalid).ToString("X4", CultureInfo.InvariantCulture) : invalid.ToString(),
                    where, numbers));
            }

            var digits = EmergencyConfiguration.DigitsOnly(dialed);
            if (digits.Length == 0)
            {
                throw new InvalidPluginExecutionException(
                    "DialedNumber has no digits. The emergency numbers for " + where + " are " + numbers + ".");
            }

            // "+1 911", "1-911" and "911#" are 911; "1911" and "9112" are not (see EmergencyDialForms).
            var candidates = EmergencyDialForms.Candidates(dialed);
            if (countryCode.Length > 0)
            {
                var emergency = candidates.FirstOrDefault(candidate => configuration.IsEmergencyNumber(countryCode, candidate));
                if (emergency != null)
                {
                    return emergency;
                }
            }
            else
            {
                var emergency = candidates.FirstOrDefault(configuration.IsEmergencyNumberInAnyCountry);
                if (emergency != null)
                {
                    return emergency;
                }
            }

            // The value is named by its length only: a non-emergency number may be a private line.
            throw new InvalidPluginExecutionException("DialedNumber (" + PhoneNumberPrivacy.Describe(digits) +
                ") is not an emergency number for " + where + "; the emergency numbers for " + where +
                " are " + numbers + ". Only emergency calls are started here.");
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

        private static Guid? NonEmpty(Guid value) => value != Guid.Empty ? value : (Guid?)null;

        private static string Printable(string value)
        {
            return new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        }
    }
}
