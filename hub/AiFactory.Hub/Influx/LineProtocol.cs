using System.Globalization;
using System.Text;

namespace AiFactory.Hub.Influx;

/// <summary>
/// InfluxDB line protocol (<c>measurement,tag=v field=1.5,n=3i,s="x",b=true 1700000000000</c>, millisecond precision):
/// measurements escape comma and space; tag keys/values and field keys escape comma, equals and space; string field
/// values escape double quote and backslash. Empty tag values are left out (the protocol has no empty tags);
/// non-finite doubles are left out (the protocol cannot carry them); a point with no field left is skipped.
/// </summary>
public static class LineProtocol
{
    public static void Append(StringBuilder sb, InfluxPoint point)
    {
        var fields = point.Fields.Where(f => f.Value is not double d || double.IsFinite(d)).ToList();
        if (fields.Count == 0)
        {
            return;
        }

        Escape(sb, point.Measurement, ",  ");
        foreach (var (key, value) in point.Tags.Where(t => t.Value.Length > 0).OrderBy(t => t.Key, StringComparer.Ordinal))
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

        sb.Append(' ').Append(point.TimestampMs.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    public static string Format(IEnumerable<InfluxPoint> points)
    {
        var sb = new StringBuilder();
        foreach (var p in points)
        {
            Append(sb, p);
        }

        return sb.ToString();
    }

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
        foreach (var raw in text)
        {
            // A line break would end the point and the protocol has no escape for it: it becomes a space.
            var c = raw is '\n' or '\r' ? ' ' : raw;
            if (special.Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }
    }
}
