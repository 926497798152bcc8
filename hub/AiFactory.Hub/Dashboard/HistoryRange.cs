using AiFactory.Hub.Hosting;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// The range of the history page and its CSV: the last hour, day or week, or a custom <c>from</c>–<c>to</c>
/// (ISO 8601 with an offset, or a browser's local date-time read in the session's time zone) of at most 31 days. Up to a day is read in minutes, longer
/// in hours.
/// </summary>
public sealed record HistoryRange(string Name, DateTimeOffset From, DateTimeOffset To, long Granularity)
{
    public static readonly IReadOnlyList<string> Presets = ["1h", "24h", "7d"];

    private static readonly TimeSpan Longest = TimeSpan.FromDays(31);

    public static HistoryRange Parse(string? name, string? from, string? to, DateTimeOffset now, DashboardTime times)
    {
        var (start, end) = (name ?? "1h") switch
        {
            "1h" => (now.AddHours(-1), now),
            "24h" => (now.AddDays(-1), now),
            "7d" => (now.AddDays(-7), now),
            "custom" => (times.Parse("from", from), times.Parse("to", to)),
            var other => throw HubProblemException.BadRequest($"history range '{other}' is not one of: 1h, 24h, 7d, custom."),
        };
        if (start >= end)
        {
            throw HubProblemException.BadRequest($"history 'from' ({start:O}) must be before 'to' ({end:O}).");
        }

        if (end - start > Longest)
        {
            throw HubProblemException.BadRequest($"history range of {(end - start).TotalDays:F1} days is longer than {Longest.TotalDays} days.");
        }

        return new HistoryRange(name ?? "1h", start, end, end - start <= TimeSpan.FromDays(1) ? 60 : 3600);
    }
}
