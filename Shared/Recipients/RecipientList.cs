using System;
using System.Collections.Generic;
using System.Text;

namespace EmergencySolution.Recipients
{
    /// <summary>
    /// The rules for the "Emergency Call Notifications" value on a user (systemuser.msdyn_emergencyemailrecipients):
    /// what an admin may paste, how it is stored, and why an entry is refused. The same rules are written as test vectors in
    /// Tests/vectors/recipients.json, which both these C# rules and the form script are tested against.
    /// </summary>
    /// <remarks>
    /// Pure string work with no platform calls, so the save-time plugin and the readiness check agree by construction.
    /// </remarks>
    internal static class RecipientList
    {
        public const int MaxRecipients = 50;
        public const int MaxNormalizedLength = 4000;
        public const int MaxLocalPartLength = 64;
        public const int MaxAddressLength = 254;
        public const int MaxDomainLabelLength = 63;

        // RFC 5322 "atext" minus nothing: the practical subset mail systems accept in an unquoted local part.
        private const string LocalPartSymbols = "!#$%&'*+/=?^_`{|}~.-";

        private const string UnclosedQuoteReason =
            "it has a double quote (\") that is never closed, so the entries after it on the same line cannot be told apart; close the quote or remove it";

        public static RecipientListResult Normalize(string? raw)
        {
            var errors = new List<RecipientListError>();
            var addresses = new List<string>();
            if (raw == null || raw.Trim().Length == 0)
            {
                return new RecipientListResult(string.Empty, addresses, errors);
            }

            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in SplitEntries(raw))
            {
                if (HasUnclosedQuote(entry))
                {
                    errors.Add(new RecipientListError(entry, RecipientErrorCodes.UnclosedQuote,
                        Describe(entry, UnclosedQuoteReason, RecipientErrorCodes.UnclosedQuote)));
                    continue;
                }

                var address = ExtractAddress(entry);
                var failure = FindFirstFailure(address);
                if (failure != null)
                {
                    errors.Add(new RecipientListError(address, failure.Value.Code, Describe(address, failure.Value.Reason, failure.Value.Code)));
                    continue;
                }

                if (seen.Add(address))
                {
                    addresses.Add(address);
                }
            }

            var normalized = string.Join(";", addresses);
            if (addresses.Count > MaxRecipients)
            {
                errors.Add(new RecipientListError(null, RecipientErrorCodes.TooManyRecipients,
                    "There are " + addresses.Count + " recipients; at most " + MaxRecipients + " are allowed [" + RecipientErrorCodes.TooManyRecipients + "]"));
            }

            if (normalized.Length > MaxNormalizedLength)
            {
                errors.Add(new RecipientListError(null, RecipientErrorCodes.ValueTooLong,
                    "The list is " + normalized.Length + " characters long once saved; at most " + MaxNormalizedLength + " are allowed [" + RecipientErrorCodes.ValueTooLong + "]"));
            }

            return errors.Count == 0
                ? new RecipientListResult(normalized, addresses, errors)
                : new RecipientListResult(string.Empty, addresses, errors);
        }

        /// <summary>
        /// Splits on ';' and ',' outside double quotes, and on CR and LF always, so an Outlook paste such as
        /// <c>"Doe, John" &lt;j@x.com&gt;</c> stays one entry. Entries are trimmed; empty ones are dropped.
        /// </summary>
        internal static IEnumerable<string> SplitEntries(string raw)
        {
            var current = new StringBuilder();
            var insideQuotes = false;
            foreach (var character in raw)
            {
                if (character == '"')
                {
                    insideQuotes = !insideQuotes;
                    current.Append(character);
                    continue;
                }

                // Line breaks always separate and end an open quote (a paste never spans lines inside one display
                // name), so an unclosed quote cannot swallow the following lines; ';' and ',' separate only outside quotes.
                if (character == '\r' || character == '\n' || (!insideQuotes && (character == ';' || character == ',')))
                {
                    var finished = current.ToString().Trim();
                    current.Clear();
                    insideQuotes = false;
                    if (finished.Length > 0)
                    {
                        yield return finished;
                    }

                    continue;
                }

                current.Append(character);
            }

            var last = current.ToString().Trim();
            if (last.Length > 0)
            {
                yield return last;
            }
        }

        /// <summary>
        /// A display-name paste (<c>anything &lt;address&gt;</c>) keeps the address between the last '&lt;' and the '&gt;' that
        /// follows it. Anything else is taken as the address itself; stray angle brackets then fail as invalid characters.
        /// </summary>
        /// <summary>
        /// Each '"' toggles, and an entry starts outside quotes, so an odd count means a quote was never closed: it
        /// swallowed every separator after it on its line, and the addresses there cannot be told apart.
        /// </summary>
        internal static bool HasUnclosedQuote(string entry)
        {
            var quotes = 0;
            foreach (var character in entry)
            {
                if (character == '"')
                {
                    quotes++;
                }
            }

            return quotes % 2 == 1;
        }

        internal static string ExtractAddress(string entry)
        {
            var open = entry.LastIndexOf('<');
            if (open < 0)
            {
                return entry;
            }

            var close = entry.IndexOf('>', open + 1);
            if (close < 0)
            {
                return entry;
            }

            return entry.Substring(open + 1, close - open - 1).Trim();
        }

        private static Failure? FindFirstFailure(string address)
        {
            foreach (var character in address)
            {
                if (char.IsWhiteSpace(character) || character <= '\u001F' || character == '\u007F' || character == '<' || character == '>')
                {
                    return new Failure(RecipientErrorCodes.InvalidCharacter, "it contains a space, a control character or an angle bracket");
                }
            }

            var at = address.IndexOf('@');
            if (at < 0)
            {
                return new Failure(RecipientErrorCodes.MissingAt, "it has no @");
            }

            if (address.IndexOf('@', at + 1) >= 0)
            {
                return new Failure(RecipientErrorCodes.MultipleAt, "it has more than one @");
            }

            var localPart = address.Substring(0, at);
            var domain = address.Substring(at + 1);
            if (localPart.Length == 0)
            {
                return new Failure(RecipientErrorCodes.EmptyLocalPart, "there is nothing before the @");
            }

            if (localPart.Length > MaxLocalPartLength)
            {
                return new Failure(RecipientErrorCodes.LocalPartTooLong,
                    "the part before the @ is longer than " + MaxLocalPartLength + " characters");
            }

            if (!IsValidLocalPart(localPart))
            {
                return new Failure(RecipientErrorCodes.InvalidLocalPart,
                    "the part before the @ may only hold letters A-Z, digits and " + LocalPartSymbols + ", and no leading, trailing or double dot");
            }

            if (address.Length > MaxAddressLength)
            {
                return new Failure(RecipientErrorCodes.AddressTooLong, "the address is longer than " + MaxAddressLength + " characters");
            }

            if (!IsValidDomain(domain))
            {
                return new Failure(RecipientErrorCodes.InvalidDomain,
                    domain.IndexOf('.') < 0
                        ? "the domain must contain a dot"
                        : "the domain must be dot-separated labels of letters, digits and hyphens, ending in a top-level domain of two or more letters");
            }

            return null;
        }

        private static bool IsValidLocalPart(string localPart)
        {
            if (localPart[0] == '.' || localPart[localPart.Length - 1] == '.' || localPart.IndexOf("..", StringComparison.Ordinal) >= 0)
            {
                return false;
            }

            foreach (var character in localPart)
            {
                if (!IsAsciiLetterOrDigit(character) && LocalPartSymbols.IndexOf(character) < 0)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsValidDomain(string domain)
        {
            var labels = domain.Split('.');
            if (labels.Length < 2)
            {
                return false;
            }

            foreach (var label in labels)
            {
                if (label.Length == 0 || label.Length > MaxDomainLabelLength || label[0] == '-' || label[label.Length - 1] == '-')
                {
                    return false;
                }

                foreach (var character in label)
                {
                    if (!IsAsciiLetterOrDigit(character) && character != '-')
                    {
                        return false;
                    }
                }
            }

            var topLevel = labels[labels.Length - 1];
            if (topLevel.Length < 2)
            {
                return false;
            }

            foreach (var character in topLevel)
            {
                if (!IsAsciiLetter(character))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsAsciiLetter(char character) =>
            (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z');

        private static bool IsAsciiLetterOrDigit(char character) =>
            IsAsciiLetter(character) || (character >= '0' && character <= '9');

        // The code in brackets is the stable rule name (as in the test vectors and the admin guide), for searching.
        private static string Describe(string entry, string reason, string code) => "\"" + entry + "\" — " + reason + " [" + code + "]";

        private readonly struct Failure
        {
            public Failure(string code, string reason)
            {
                Code = code;
                Reason = reason;
            }

            public string Code { get; }

            public string Reason { get; }
        }
    }

    /// <summary>The stable codes of the recipient rules; the test vectors and the form script use the same strings.</summary>
    internal static class RecipientErrorCodes
    {
        public const string UnclosedQuote = "unclosed-quote";
        public const string InvalidCharacter = "invalid-character";
        public const string MissingAt = "missing-at";
        public const string MultipleAt = "multiple-at";
        public const string EmptyLocalPart = "empty-local-part";
        public const string LocalPartTooLong = "local-part-too-long";
        public const string InvalidLocalPart = "invalid-local-part";
        public const string AddressTooLong = "address-too-long";
        public const string InvalidDomain = "invalid-domain";
        public const string TooManyRecipients = "too-many-recipients";
        public const string ValueTooLong = "value-too-long";
    }

    /// <summary>One refused entry (or, with a null <see cref="Entry"/>, a problem with the list as a whole).</summary>
    internal sealed class RecipientListError
    {
        public RecipientListError(string? entry, string code, string message)
        {
            Entry = entry;
            Code = code;
            Message = message;
        }

        /// <summary>The entry as trimmed and extracted from a display-name paste; null for list-level errors.</summary>
        public string? Entry { get; }

        public string Code { get; }

        /// <summary>Plain English naming the entry, for the admin who typed it.</summary>
        public string Message { get; }
    }

    internal sealed class RecipientListResult
    {
        public RecipientListResult(string normalized, IReadOnlyList<string> addresses, IReadOnlyList<RecipientListError> errors)
        {
            Normalized = normalized;
            Addresses = addresses;
            Errors = errors;
        }

        public bool IsValid => Errors.Count == 0;

        /// <summary>The value to store: unique addresses joined with ';' ("" when the list is empty or invalid).</summary>
        public string Normalized { get; }

        /// <summary>The valid, unique addresses in input order (also filled when other entries are invalid).</summary>
        public IReadOnlyList<string> Addresses { get; }

        public IReadOnlyList<RecipientListError> Errors { get; }

        /// <summary>One message listing every problem, for an InvalidPluginExecutionException or a readiness line.</summary>
        public string DescribeErrors()
        {
            var text = new StringBuilder();
            text.Append("The Emergency Call Notifications list was not saved: ");
            text.Append(Errors.Count == 1 ? "1 problem" : Errors.Count + " problems");
            text.Append('.');
            foreach (var error in Errors)
            {
                text.Append(' ').Append(error.Message).Append('.');
            }

            return text.ToString();
        }
    }
}
