using System;
using System.Text;

namespace EmergencySolution.Privacy
{
    /// <summary>
    /// How phone numbers may leave our code. Traces and error messages never carry a number's digits: an
    /// emergency caller's line, a responder's line and a leased callback number are all personal data, and
    /// plugin trace logs are readable by every admin. They name a number only by its length.
    /// </summary>
    internal static class PhoneNumberPrivacy
    {
        /// <summary>"a 3-digit number", "an empty number": safe to trace and to show in an error.</summary>
        public static string Describe(string? value)
        {
            var digits = CountDigits(value);
            if (digits == 0)
            {
                return "a number without digits";
            }

            var countText = digits.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return (digits == 8 || digits == 11 || digits == 18 ? "an " : "a ") + countText + "-digit number";
        }

        /// <summary>
        /// The E.164 form our callback pool stores ("+" and digits), or null when the text has no digits.
        /// Matching on this form makes "+1 (555) 010-0001" and "15550100001" the same number.
        /// </summary>
        public static string? ToE164(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            var builder = new StringBuilder(value!.Length + 1);
            builder.Append('+');
            foreach (var character in value)
            {
                if (character >= '0' && character <= '9')
                {
                    builder.Append(character);
                }
            }

            return builder.Length > 1 ? builder.ToString() : null;
        }

        public static int CountDigits(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return 0;
            }

            var count = 0;
            foreach (var character in value!)
            {
                if (character >= '0' && character <= '9')
                {
                    count++;
                }
            }

            return count;
        }

        /// <summary>Removes every digit run of 3 or more from free text before it is traced (fault messages can echo values).</summary>
        public static string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            var builder = new StringBuilder(text!.Length);
            var run = 0;
            for (var index = 0; index < text.Length; index++)
            {
                var character = text[index];
                if (character >= '0' && character <= '9')
                {
                    run++;
                    continue;
                }

                FlushRun(builder, text, index, run);
                run = 0;
                builder.Append(character);
            }

            FlushRun(builder, text, text.Length, run);
            return builder.ToString();
        }

        private static void FlushRun(StringBuilder builder, string text, int end, int run)
        {
            if (run == 0)
            {
                return;
            }

            if (run >= 3)
            {
                builder.Append("[digits removed]");
            }
            else
            {
                builder.Append(text, end - run, run);
            }
        }
    }
}
