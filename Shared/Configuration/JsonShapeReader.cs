using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace EmergencySolution.Configuration
{
    /// <summary>
    /// A tiny strict reader for the fixed JSON shapes of our environment variables (an object of string arrays, a
    /// string array), instead of a JSON library: the Dataverse sandbox's System.Text.Json cannot be relied on for
    /// net462 plugins without packaging it. Every problem is a <see cref="FormatException"/> that says where.
    /// </summary>
    internal sealed class JsonShapeReader
    {
        private readonly string _text;
        private int _position;

        public JsonShapeReader(string text)
        {
            _text = text;
        }

        public void Expect(char expected)
        {
            SkipWhitespace();
            if (_position >= _text.Length || _text[_position] != expected)
            {
                throw new FormatException("expected '" + expected + "' at character " + (_position + 1));
            }

            _position++;
        }

        public bool TryConsume(char candidate)
        {
            SkipWhitespace();
            if (_position < _text.Length && _text[_position] == candidate)
            {
                _position++;
                return true;
            }

            return false;
        }

        public void ExpectEnd()
        {
            SkipWhitespace();
            if (_position != _text.Length)
            {
                throw new FormatException("unexpected text after the object at character " + (_position + 1));
            }
        }

        /// <summary><c>["a","b",...]</c>, or <c>[]</c>.</summary>
        public List<string> ReadStringArray()
        {
            Expect('[');
            var items = new List<string>();
            if (TryConsume(']'))
            {
                return items;
            }

            do
            {
                items.Add(ReadString());
            }
            while (TryConsume(','));
            Expect(']');
            return items;
        }

        public string ReadString()
        {
            Expect('"');
            var builder = new StringBuilder();
            while (_position < _text.Length)
            {
                var character = _text[_position++];
                if (character == '"')
                {
                    return builder.ToString();
                }

                if (character == '\\')
                {
                    if (_position >= _text.Length)
                    {
                        break;
                    }

                    var escaped = _text[_position++];
                    switch (escaped)
                    {
                        case '"': builder.Append('"'); break;
                        case '\\': builder.Append('\\'); break;
                        case '/': builder.Append('/'); break;
                        case 'b': builder.Append('\b'); break;
                        case 'f': builder.Append('\f'); break;
                        case 'n': builder.Append('\n'); break;
                        case 'r': builder.Append('\r'); break;
                        case 't': builder.Append('\t'); break;
                        case 'u':
                            if (_position + 4 > _text.Length ||
                                !int.TryParse(_text.Substring(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                            {
                                throw new FormatException("bad \\u escape at character " + _position);
                            }

                            builder.Append((char)code);
                            _position += 4;
                            break;
                        default:
                            throw new FormatException("bad escape at character " + _position);
                    }
                }
                else
                {
                    builder.Append(character);
                }
            }

            throw new FormatException("unterminated string");
        }

        private void SkipWhitespace()
        {
            while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
            {
                _position++;
            }
        }
    }
}
