using System.Globalization;
using System.Text;

namespace AiFactory.Contracts;

/// <summary>
/// Escapes text that came from outside before it reaches a log line or an error message, so a value holding a
/// newline or a terminal escape cannot start a forged log line or rewrite what an operator sees.
/// </summary>
public static class ControlCharacters
{
    /// <summary>
    /// The text with every control character (C0, DEL, C1) and the Unicode line and paragraph separators written as
    /// <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\uXXXX</c>; the same string when there is nothing to escape. A
    /// backslash stays as it is: the text <c>\n</c> reads like an escape but cannot break a line.
    /// </summary>
    public static string Escape(string? text)
    {
        if (text is null)
        {
            return string.Empty;
        }

        var first = IndexOfEscaped(text);
        if (first < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            _ = c switch
            {
                '\n' => sb.Append(@"\n"),
                '\r' => sb.Append(@"\r"),
                '\t' => sb.Append(@"\t"),
                _ when NeedsEscape(c) => sb.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }

    /// <summary>True when the text holds a character <see cref="Escape"/> would rewrite.</summary>
    public static bool Any(string? text) => text is not null && IndexOfEscaped(text) >= 0;

    private static int IndexOfEscaped(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (NeedsEscape(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
