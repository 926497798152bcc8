using System.Globalization;
using System.Text;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// A dataset as the file the models' training scripts read (<c>models/pump-anomaly/pipeline.py</c> <c>read_skab</c>,
/// SKAB's layout): semicolon-separated, a header <c>datetime;&lt;tags…&gt;;anomaly;changepoint</c>, one row per frame.
/// The raw chunks carry no ground truth, so <c>anomaly</c> and <c>changepoint</c> are 0: the rows are what the
/// training scripts fit on (normal operation), and labels come from the data scientist. A tag missing from a chunk
/// leaves its cell empty.
/// </summary>
public static class TrainingSetCsv
{
    public static string Write(IReadOnlyList<RoomChunk> chunks)
    {
        var tags = new List<string>();
        foreach (var t in chunks.SelectMany(c => c.Tags).Where(t => !tags.Contains(t, StringComparer.Ordinal)))
        {
            tags.Add(t);
        }

        var sb = new StringBuilder("datetime");
        foreach (var t in tags)
        {
            sb.Append(';').Append(t);
        }

        sb.Append(";anomaly;changepoint\n");
        foreach (var chunk in chunks)
        {
            var at = tags.Select(t => chunk.Tags.ToList().IndexOf(t)).ToArray();
            foreach (var row in chunk.Rows)
            {
                sb.Append(row.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture));
                foreach (var i in at)
                {
                    sb.Append(';');
                    if (i >= 0 && row.Values[i] is { } v)
                    {
                        sb.Append(v.ToString("R", CultureInfo.InvariantCulture));
                    }
                }

                sb.Append(";0;0\n");
            }
        }

        return sb.ToString();
    }
}
