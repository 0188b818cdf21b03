using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace EmergencySolution.Notification
{
    /// <summary>
    /// Replaces the emergency tokens (<c>{{emc:Name}}</c>) in the subject and body that InstantiateTemplate returned.
    /// Template bodies use <c>xsl:output method="text"</c> with the HTML in CDATA, as real ones do, so nothing in them is
    /// escaped by the platform: every value of the email therefore comes in here, and each one is HTML-encoded for the
    /// body. One pass over the template text: a value is never scanned again, so a location typed as
    /// "{{emc:CallbackNumber}}" stays literal text. Unknown tokens stay visible (an admin sees the typo in the email)
    /// and are reported by name.
    /// </summary>
    public static class EmergencyTokenRenderer
    {
        public const string AgentName = "AgentName";

        /// <summary>The agent's primary email address (systemuser.internalemailaddress).</summary>
        public const string AgentEmail = "AgentEmail";
        public const string CallTimeUtc = "CallTimeUtc";
        public const string CallTimeLocal = "CallTimeLocal";
        public const string AgentTimeZone = "AgentTimeZone";
        public const string DialedNumber = "DialedNumber";
        public const string CountryCode = "CountryCode";
        public const string CountryName = "CountryName";
        public const string Location = "Location";
        public const string CallbackNumber = "CallbackNumber";
        public const string CallbackExpiresUtc = "CallbackExpiresUtc";
        public const string CallbackExpiresLocal = "CallbackExpiresLocal";

        /// <summary>Which number the responder sees and where a callback goes on this call's path (never a number).</summary>
        public const string CallbackDetails = "CallbackDetails";
        public const string EmergencyCallId = "EmergencyCallId";

        /// <summary>Every token the notification knows, in the order the README lists them.</summary>
        public static readonly IReadOnlyList<string> KnownTokens = new[]
        {
            AgentName, AgentEmail, CallTimeUtc, CallTimeLocal, AgentTimeZone, DialedNumber, CountryCode, CountryName, Location,
            CallbackNumber, CallbackExpiresUtc, CallbackExpiresLocal, CallbackDetails, EmergencyCallId,
        };

        // Token names are letters and digits only, so a name can be traced without leaking user data.
        private static readonly Regex TokenPattern = new Regex(@"\{\{emc:([A-Za-z0-9_]{1,64})\}\}", RegexOptions.CultureInvariant);

        /// <summary>The text form of a token, e.g. <c>{{emc:CallbackNumber}}</c>.</summary>
        public static string Token(string name) => "{{emc:" + name + "}}";

        /// <param name="text">Template output (subject or body).</param>
        /// <param name="values">Token name → raw value (case-sensitive names).</param>
        /// <param name="htmlEncode">True for the HTML body: every value is HTML-encoded. False for the plain-text subject:
        /// values are flattened to one line instead, because an encoded "&amp;amp;" would show literally there.</param>
        /// <param name="unknownTokens">Names of tokens found in the text that are not in <paramref name="values"/>.</param>
        public static string Render(string? text, IReadOnlyDictionary<string, string> values, bool htmlEncode,
            out IReadOnlyList<string> unknownTokens)
        {
            if (values == null)
            {
                throw new ArgumentNullException(nameof(values));
            }

            var unknown = new List<string>();
            if (string.IsNullOrEmpty(text))
            {
                unknownTokens = unknown;
                return string.Empty;
            }

            var rendered = TokenPattern.Replace(text, match =>
            {
                var name = match.Groups[1].Value;
                if (!values.TryGetValue(name, out var value))
                {
                    if (!unknown.Contains(name))
                    {
                        unknown.Add(name);
                    }

                    return match.Value;
                }

                return htmlEncode ? AsHtml(value) : AsPlainText(value);
            });
            unknownTokens = unknown;
            return rendered;
        }

        /// <summary>
        /// A value as the body shows it: HTML-encoded, with control characters other than line breaks and tabs removed
        /// (a NUL or an escape character from a record field must not corrupt the message). Line breaks stay text inside
        /// the HTML body, so they cannot split the email.
        /// </summary>
        public static string AsHtml(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return string.Empty;
            }

            var builder = new StringBuilder(value!.Length);
            foreach (var character in value)
            {
                if (!char.IsControl(character) || character == '\n' || character == '\r' || character == '\t')
                {
                    builder.Append(character);
                }
            }

            return WebUtility.HtmlEncode(builder.ToString());
        }

        /// <summary>A value as the subject shows it: one line, every control character (CR and LF among them) a space, so a subject can never be split into headers.</summary>
        public static string AsPlainText(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return string.Empty;
            }

            var builder = new StringBuilder(value!.Length);
            foreach (var character in value)
            {
                builder.Append(char.IsControl(character) ? ' ' : character);
            }

            return builder.ToString();
        }
    }
}
