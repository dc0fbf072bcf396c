using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Candor.StatusPage.Api;

/// <summary>
/// Strings and timestamps written the way Statuspage's Rails serializer writes them, which System.Text.Json's
/// encoders cannot: it escapes <c>&lt; &gt; &amp;</c> with lower-case hex and leaves every other non-ASCII
/// character raw, where the default encoder escapes all of them (and <c>+</c>, which offsets contain).
/// </summary>
internal static class RailsJsonText
{
    public static void WriteString(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        json.WritePropertyName(name);
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            // The quoted text is built here, whole and valid, so the writer need not check it again.
            json.WriteRawValue(Quote(value), skipInputValidation: true);
        }
    }

    /// <summary>The value as a JSON string literal in UTF-8; lone surrogates become U+FFFD.</summary>
    public static byte[] Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2);
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                    // U+2028 and U+2029 end lines in older JavaScript; Rails escapes them for script-embedded JSON.
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        text.Append('"');
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
