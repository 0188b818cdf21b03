using System;
using System.Collections.Generic;

namespace InMemoryDataverse
{
    /// <summary>
    /// A SQL LIKE pattern, matched case-insensitively without regular expressions. The wildcards are Dataverse's
    /// ("Use wildcard characters in conditions for string values", learn.microsoft.com/power-apps/developer/data-platform/
    /// wildcard-characters): % any string, _ any one character, [abc] or [a-z] one of a set, [^...] one not in it; a
    /// wildcard in brackets is a literal. The same characters are wildcards in begins-with and ends-with. The common
    /// shapes (exact, 'A%', '%A', '%A%') are plain string tests.
    /// </summary>
    internal sealed class LikePattern
    {
        private readonly Shape _shape;
        private readonly string _literal;
        private readonly Token[] _tokens;

        private LikePattern(Shape shape, string literal, Token[] tokens)
        {
            _shape = shape;
            _literal = literal;
            _tokens = tokens;
        }

        private enum Shape
        {
            Exact,
            Prefix,
            Suffix,
            Contains,
            General,
        }

        /// <summary>BeginsWith: the value followed by %.</summary>
        public static LikePattern BeginsWith(string value) => Parse(value + "%");

        /// <summary>EndsWith: % followed by the value.</summary>
        public static LikePattern EndsWith(string value) => Parse("%" + value);

        public static LikePattern Parse(string pattern)
        {
            if (pattern.IndexOf('_') < 0 && pattern.IndexOf('[') < 0)
            {
                var core = pattern.Trim('%');
                if (core.IndexOf('%') < 0)
                {
                    var leading = pattern.StartsWith("%", StringComparison.Ordinal);
                    var trailing = pattern.EndsWith("%", StringComparison.Ordinal) && pattern.Length > (leading ? 1 : 0);
                    var shape = core.Length == 0 && pattern.Length > 0 ? Shape.Contains
                        : leading && trailing ? Shape.Contains
                        : leading ? Shape.Suffix
                        : trailing ? Shape.Prefix
                        : Shape.Exact;
                    return new LikePattern(shape, core, Array.Empty<Token>());
                }
            }

            return new LikePattern(Shape.General, pattern, Tokenize(pattern));
        }

        public bool IsMatch(string text)
        {
            switch (_shape)
            {
                case Shape.Exact: return string.Equals(text, _literal, StringComparison.OrdinalIgnoreCase);
                case Shape.Prefix: return text.StartsWith(_literal, StringComparison.OrdinalIgnoreCase);
                case Shape.Suffix: return text.EndsWith(_literal, StringComparison.OrdinalIgnoreCase);
                case Shape.Contains: return text.IndexOf(_literal, StringComparison.OrdinalIgnoreCase) >= 0;
                default: return MatchGeneral(text);
            }
        }

        // Wildcard matching with one backtrack point per %, linear in practice.
        private bool MatchGeneral(string text)
        {
            int t = 0, p = 0, starToken = -1, starText = 0;
            while (t < text.Length)
            {
                if (p < _tokens.Length && !_tokens[p].AnyString && _tokens[p].Matches(text[t]))
                {
                    t++;
                    p++;
                }
                else if (p < _tokens.Length && _tokens[p].AnyString)
                {
                    starToken = p++;
                    starText = t;
                }
                else if (starToken >= 0)
                {
                    p = starToken + 1;
                    t = ++starText;
                }
                else
                {
                    return false;
                }
            }

            while (p < _tokens.Length && _tokens[p].AnyString)
            {
                p++;
            }

            return p == _tokens.Length;
        }

        private static Token[] Tokenize(string pattern)
        {
            var tokens = new List<Token>();
            for (var i = 0; i < pattern.Length; i++)
            {
                var ch = pattern[i];
                var close = ch == '[' ? pattern.IndexOf(']', i + 2) : -1;
                if (ch == '%')
                {
                    tokens.Add(Token.Star);
                }
                else if (ch == '_')
                {
                    tokens.Add(Token.AnyChar);
                }
                else if (ch == '[' && close > i)
                {
                    tokens.Add(Token.Set(pattern.Substring(i + 1, close - i - 1)));
                    i = close;
                }
                else
                {
                    tokens.Add(Token.Literal(ch));
                }
            }

            return tokens.ToArray();
        }

        private sealed class Token
        {
            public static readonly Token Star = new Token { AnyString = true };
            public static readonly Token AnyChar = new Token { AnyCharacter = true };

            private char _literal;
            private string? _set;
            private bool _negated;

            public bool AnyString { get; private set; }

            private bool AnyCharacter { get; set; }

            public static Token Literal(char ch) => new Token { _literal = char.ToUpperInvariant(ch) };

            public static Token Set(string body)
            {
                var negated = body.Length > 1 && body[0] == '^';
                return new Token { _set = (negated ? body.Substring(1) : body).ToUpperInvariant(), _negated = negated };
            }

            public bool Matches(char ch)
            {
                if (AnyCharacter)
                {
                    return true;
                }

                var upper = char.ToUpperInvariant(ch);
                return _set == null ? upper == _literal : InSet(upper) != _negated;
            }

            private bool InSet(char upper)
            {
                var set = _set!;
                for (var i = 0; i < set.Length; i++)
                {
                    if (i + 2 < set.Length && set[i + 1] == '-')
                    {
                        if (upper >= set[i] && upper <= set[i + 2])
                        {
                            return true;
                        }

                        i += 2;
                    }
                    else if (set[i] == upper)
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }
}
