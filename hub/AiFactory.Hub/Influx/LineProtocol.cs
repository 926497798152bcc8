using System.Globalization;
using System.Text;

namespace AiFactory.Hub.Influx;

/// <summary>
/// InfluxDB line protocol (<c>measurement,tag=v field=1.5,n=3i,s="x",b=true 1700000000000</c>, timestamp in the given precision):
/// measurements escape comma and space; tag keys/values and field keys escape comma, equals and space; string field
/// values escape double quote and backslash; a backslash before a delimiter or at the end of a name, which the protocol
/// cannot carry, becomes a slash. Tags and fields with an empty key or value and non-finite numbers are left out (the
/// protocol cannot carry them, and one bad line would make the server refuse the whole batch); a point with no
/// measurement or no field left is skipped.
/// </summary>
public static class LineProtocol
{
    /// <summary>Appends one line; false (nothing appended) when the point has no measurement or no field to write.</summary>
    public static bool Append(StringBuilder sb, InfluxPoint point, InfluxPrecision precision = InfluxPrecision.Milliseconds)
    {
        var fields = point.Fields.Where(f => f.Key.Length > 0 && (f.Value is not double d || double.IsFinite(d)) && (f.Value is not float x || float.IsFinite(x))).ToList();
        if (fields.Count == 0 || point.Measurement.Length == 0)
        {
            return false;
        }

        Escape(sb, point.Measurement, ",  ");
        foreach (var (key, value) in point.Tags.Where(t => t.Key.Length > 0 && t.Value.Length > 0).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            sb.Append(',');
            Escape(sb, key, ",= ");
            sb.Append('=');
            Escape(sb, value, ",= ");
        }

        sb.Append(' ');
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            Escape(sb, fields[i].Key, ",= ");
            sb.Append('=');
            AppendValue(sb, fields[i].Value);
        }

        sb.Append(' ').Append(Timestamp(point.Time, precision).ToString(CultureInfo.InvariantCulture)).Append('\n');
        return true;
    }

    public static string Format(IEnumerable<InfluxPoint> points, InfluxPrecision precision = InfluxPrecision.Milliseconds)
    {
        var sb = new StringBuilder();
        foreach (var p in points)
        {
            Append(sb, p, precision);
        }

        return sb.ToString();
    }

    /// <summary>Time since the Unix epoch in the unit of <paramref name="precision"/>, rounded down.</summary>
    public static long Timestamp(DateTimeOffset time, InfluxPrecision precision)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return precision switch
        {
            InfluxPrecision.Nanoseconds => checked(ticks * 100),
            InfluxPrecision.Microseconds => FloorDiv(ticks, TimeSpan.TicksPerMicrosecond),
            InfluxPrecision.Milliseconds => FloorDiv(ticks, TimeSpan.TicksPerMillisecond),
            InfluxPrecision.Seconds => FloorDiv(ticks, TimeSpan.TicksPerSecond),
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "not a known precision"),
        };
    }

    /// <summary>The query value of <paramref name="precision"/>: v1 spells n/u, v2 ns/us.</summary>
    public static string QueryValue(InfluxPrecision precision, int version) => (precision, version) switch
    {
        (InfluxPrecision.Nanoseconds, 1) => "n",
        (InfluxPrecision.Nanoseconds, _) => "ns",
        (InfluxPrecision.Microseconds, 1) => "u",
        (InfluxPrecision.Microseconds, _) => "us",
        (InfluxPrecision.Milliseconds, _) => "ms",
        (InfluxPrecision.Seconds, _) => "s",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "not a known precision"),
    };

    private static long FloorDiv(long value, long divisor) => (value / divisor) - ((value % divisor) < 0 ? 1 : 0);

    private static void AppendValue(StringBuilder sb, object value)
    {
        switch (value)
        {
            case double d:
                sb.Append(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case float f:
                sb.Append(((double)f).ToString("R", CultureInfo.InvariantCulture));
                break;
            case long or int or short:
                sb.Append(Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)).Append('i');
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case string s:
                sb.Append('"');
                foreach (var c in s)
                {
                    if (c is '"' or '\\')
                    {
                        sb.Append('\\');
                    }

                    sb.Append(c);
                }

                sb.Append('"');
                break;
            default:
                throw new ArgumentException($"field value of type {value.GetType().Name} is not double, integer, bool or string", nameof(value));
        }
    }

    private static void Escape(StringBuilder sb, string text, string special)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = Normalize(text[i]);

            // The server reads a backslash as an escape of whatever follows it, and the protocol has no way to write a
            // backslash that stands before a delimiter or at the end of a name: such a backslash becomes a slash.
            if (c == '\\' && (i == text.Length - 1 || special.Contains(Normalize(text[i + 1]), StringComparison.Ordinal)))
            {
                c = '/';
            }

            if (special.Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }
    }

    /// <summary>A line break would end the point and the protocol has no escape for it: it becomes a space.</summary>
    private static char Normalize(char c) => c is '\n' or '\r' ? ' ' : c;
}
