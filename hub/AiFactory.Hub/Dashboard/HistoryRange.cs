using System.Globalization;
using AiFactory.Hub.Hosting;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// The range of the history page and its CSV: the last hour, day or week, or a custom <c>from</c>–<c>to</c>
/// (ISO 8601, or a browser's local date-time taken as UTC) of at most 31 days. Up to a day is read in minutes, longer
/// in hours.
/// </summary>
public sealed record HistoryRange(string Name, DateTimeOffset From, DateTimeOffset To, long Granularity)
{
    public static readonly IReadOnlyList<string> Presets = ["1h", "24h", "7d"];

    private static readonly TimeSpan Longest = TimeSpan.FromDays(31);

    public static HistoryRange Parse(string? name, string? from, string? to, DateTimeOffset now)
    {
        var (start, end) = (name ?? "1h") switch
        {
            "1h" => (now.AddHours(-1), now),
            "24h" => (now.AddDays(-1), now),
            "7d" => (now.AddDays(-7), now),
            "custom" => (Time("from", from), Time("to", to)),
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

    private static DateTimeOffset Time(string field, string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw HubProblemException.BadRequest($"history '{field}' is '{text}', not a time (e.g. 2026-11-22T10:00).");
}
