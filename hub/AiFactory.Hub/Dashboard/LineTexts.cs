using System.Globalization;
using System.Text;
using AiFactory.Hub.Live;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// What a line page shows, as the text of each of its live places, keyed as the page marks them (<c>data-live</c>):
/// <c>line/status</c>, <c>line/fpy</c>, <c>line/throughput</c>, and per station <c>tile-{station}/{part}</c>. Figures
/// are formatted in the page's culture, as the page itself would; a chip is <c>{template}|{text}</c> (the page holds
/// one drawn chip per template); a Pareto chart (each class's share of the hour's frames) is its <see cref="ParetoKey"/>, which changes only when the chart would
/// visibly change. The hub sends a page only the places whose text changed (<see cref="Changes"/>).
/// </summary>
public sealed class LineTexts
{
    private readonly CultureInfo _culture;
    private readonly string _edgesFormat;

    /// <param name="culture">The page's culture (numbers).</param>
    /// <param name="edgesFormat">The edge chip's text in the page's language, <c>{0}</c> online of <c>{1}</c>.</param>
    public LineTexts(CultureInfo culture, string edgesFormat)
    {
        _culture = culture;
        _edgesFormat = edgesFormat;
    }

    /// <summary>The parts of a station's tile, as the page marks them.</summary>
    public static readonly IReadOnlyList<string> TileParts = ["status", "fpy", "anomaly-rate", "frames", "throughput", "latency", "data-quality", "edges", "backlog", "pareto"];

    /// <summary>Every live place of the page with its text now.</summary>
    /// <param name="line">The line's latest snapshot (null before the first).</param>
    /// <param name="stations">The line's stations, in the page's order.</param>
    /// <param name="edges">The plant's edges online and registered (null before the plant's first snapshot).</param>
    /// <param name="backlog">The plant's largest outbox backlog (null: no edge has reported one).</param>
    /// <param name="quality">Data-quality problems per station in the last 15 minutes.</param>
    public Dictionary<string, string> Build(
        LiveSnapshot? line, IReadOnlyList<string> stations, (int Online, int Total)? edges, long? backlog, IReadOnlyDictionary<string, long> quality)
    {
        var texts = new Dictionary<string, string>(3 + (stations.Count * TileParts.Count), StringComparer.Ordinal)
        {
            ["line/status"] = Chip(line?.Status ?? "idle"),
            ["line/fpy"] = Percent(line?.Kpis.OneHour.FirstPassYield),
            ["line/throughput"] = Number(line?.Kpis.OneHour.ThroughputPerMinute, "N1"),
        };
        var (online, total) = edges ?? (0, 0);
        var edgeChip = Chip(online < total ? "edges-offline" : "edges-ok", string.Format(_culture, _edgesFormat, online, total));
        var backlogText = Number(backlog);
        foreach (var station in stations)
        {
            var live = Child(line, station);
            var prefix = "tile-" + station + "/";
            texts[prefix + "status"] = Chip(live?.Status ?? "idle");
            texts[prefix + "fpy"] = Percent(live?.OneMinute.FirstPassYield);
            texts[prefix + "anomaly-rate"] = Percent(live?.OneMinute.AnomalyRate);
            texts[prefix + "frames"] = Number(live?.OneHour.Frames);
            texts[prefix + "throughput"] = Number(live?.OneHour.ThroughputPerMinute, "N1");
            texts[prefix + "latency"] = Number(live?.OneHour.LatencyP99Ms, "N1");
            texts[prefix + "data-quality"] = Number(quality.TryGetValue(station, out var problems) ? problems : null);
            texts[prefix + "edges"] = edgeChip;
            texts[prefix + "backlog"] = backlogText;
            texts[prefix + "pareto"] = ParetoKey(live?.OneHour.DefectRatePerClass);
        }

        return texts;
    }

    /// <summary>The places whose text differs from what was sent before (all of them the first time).</summary>
    public static Dictionary<string, string> Changes(IReadOnlyDictionary<string, string>? sent, IReadOnlyDictionary<string, string> now)
    {
        var changes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, text) in now)
        {
            if (sent is null || !sent.TryGetValue(key, out var before) || !string.Equals(before, text, StringComparison.Ordinal))
            {
                changes[key] = text;
            }
        }

        return changes;
    }

    /// <summary>
    /// A Pareto chart's key: its classes, largest share of the frames first, each with its share in whole percent (a
    /// point is under two pixels of the 160-pixel chart); empty without classes. The chart is drawn again only when this
    /// changes: as the hour's counts grow, shares that hold steady keep the chart as it is.
    /// </summary>
    public static string ParetoKey(IReadOnlyDictionary<string, double>? shares)
    {
        if (shares is null || shares.Count == 0)
        {
            return string.Empty;
        }

        var key = new StringBuilder();
        foreach (var c in Ordered(shares))
        {
            key.Append(key.Length == 0 ? string.Empty : "|").Append(c.Key).Append(':').Append(Math.Round(100 * c.Value).ToString(CultureInfo.InvariantCulture));
        }

        return key.ToString();
    }

    /// <summary>Classes by value, largest first (ties by name).</summary>
    public static List<KeyValuePair<string, T>> Ordered<T>(IReadOnlyDictionary<string, T> values)
        where T : IComparable<T> =>
        values.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();

    /// <summary>A station's figures in the line's snapshot; null when it has none.</summary>
    public static ChildLive? Child(LiveSnapshot? line, string station)
    {
        if (line is null)
        {
            return null;
        }

        foreach (var child in line.Children)
        {
            if (string.Equals(child.Id, station, StringComparison.Ordinal))
            {
                return child;
            }
        }

        return null;
    }

    private static string Chip(string template, string text = "") => template + "|" + text;

    private string Percent(double? value) => Pages.DashboardPage.PercentOf(value, _culture);

    private string Number(double? value, string format = "N0") => Pages.DashboardPage.NumberOf(value, format, _culture);
}
