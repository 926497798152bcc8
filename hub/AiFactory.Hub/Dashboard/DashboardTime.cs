using System.Globalization;
using AiFactory.Hub.Hosting;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// Times as a dashboard session shows them: in the session's time zone (the browser's, sent at sign-in), in the
/// user's culture, each full time with its UTC offset (so a time in the hour that repeats when summer time ends is
/// never ambiguous); and a local time typed into a form read back in that zone.
/// </summary>
public sealed class DashboardTime(TimeZoneInfo zone)
{
    public static DashboardTime Utc { get; } = new(TimeZoneInfo.Utc);

    public TimeZoneInfo Zone { get; } = zone;

    /// <summary>The zone's id (IANA, e.g. <c>Asia/Seoul</c>) known to this machine, or false.</summary>
    public static bool TryFind(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>The zone's name and its offset now, e.g. <c>Asia/Seoul (UTC+09:00)</c>.</summary>
    public string Describe(DateTimeOffset now) => $"{Zone.Id} ({Offset(Zone.GetUtcOffset(now))})";

    /// <summary>Date and time with seconds and the offset, e.g. <c>2026-12-07 오전 2:00:00 (UTC+09:00)</c>; a dash for none.</summary>
    public string Full(DateTimeOffset? value)
    {
        if (value is not { } v)
        {
            return "–";
        }

        var local = TimeZoneInfo.ConvertTime(v, Zone);
        return $"{local.DateTime.ToString("G", CultureInfo.CurrentCulture)} ({Offset(local.Offset)})";
    }

    /// <summary>Date and time without seconds or offset, for chart axes of days.</summary>
    public string DateAndTime(DateTimeOffset value) => TimeZoneInfo.ConvertTime(value, Zone).DateTime.ToString("g", CultureInfo.CurrentCulture);

    /// <summary>The time of day alone, for chart axes and minute rows.</summary>
    public string TimeOfDay(DateTimeOffset value) => TimeZoneInfo.ConvertTime(value, Zone).DateTime.ToString("t", CultureInfo.CurrentCulture);

    /// <summary>ISO 8601 with the zone's offset at that moment, e.g. <c>2026-12-07T02:00:00+09:00</c> (CSV).</summary>
    public string Iso(DateTimeOffset value) => TimeZoneInfo.ConvertTime(value, Zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>
    /// A time typed into a form: with an offset or <c>Z</c> it is that moment; without one (a browser's
    /// <c>datetime-local</c>) it is a wall-clock time in the zone. A time the clocks skip is refused, naming the field.
    /// </summary>
    public DateTimeOffset Parse(string field, string? text)
    {
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            throw HubProblemException.BadRequest($"history '{field}' is '{text}', not a time (e.g. 2026-11-22T10:00).");
        }

        if (parsed.Kind != DateTimeKind.Unspecified)
        {
            return DateTimeOffset.Parse(text!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }

        if (Zone.IsInvalidTime(parsed))
        {
            throw HubProblemException.BadRequest($"history '{field}' {parsed:yyyy-MM-ddTHH:mm} does not exist in {Zone.Id}: the clocks skip it.");
        }

        return new DateTimeOffset(parsed, Zone.GetUtcOffset(parsed));
    }

    private static string Offset(TimeSpan offset) =>
        offset == TimeSpan.Zero ? "UTC" : $"UTC{(offset < TimeSpan.Zero ? '-' : '+')}{offset.Duration():hh\\:mm}";
}
