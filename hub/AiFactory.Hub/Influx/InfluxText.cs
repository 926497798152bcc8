namespace AiFactory.Hub.Influx;

/// <summary>
/// Makes a measurement, tag key or tag value one that InfluxDB.Client's line protocol can carry. The library escapes
/// comma, equals and space, but writes a backslash that stands before one of them or at the end of a name as it is
/// (it then escapes the delimiter after it: <c>t=v\ f=1i</c>), and a line break in a measurement as it is; either way
/// the server refuses the whole batch. Such a backslash becomes a slash and a line break a space.
/// </summary>
public static class InfluxText
{
    private const string Delimiters = ", =";

    public static string Clean(string text)
    {
        if (text.AsSpan().IndexOfAny("\\\r\n") < 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is '\r' or '\n')
            {
                chars[i] = ' ';
            }
        }

        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] == '\\' && (i == chars.Length - 1 || Delimiters.Contains(chars[i + 1], StringComparison.Ordinal)))
            {
                chars[i] = '/';
            }
        }

        return new string(chars);
    }
}
