using System.Globalization;
using AiFactory.Hub.Hosting;
using Microsoft.AspNetCore.Http;

namespace AiFactory.Hub.Queries;

/// <summary>Query-string parameters of the read API; a bad one is a 400 that names it.</summary>
public static class QueryParameters
{
    /// <summary>'from' and 'to' (ISO 8601); 'to' defaults to now, 'from' to <paramref name="span"/> before 'to'.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Range(IQueryCollection query, DateTimeOffset now, TimeSpan span)
    {
        var to = Time(query, "to") ?? now;
        var from = Time(query, "from") ?? to - span;
        if (from >= to)
        {
            throw HubProblemException.BadRequest($"query 'from' ({from:O}) must be before 'to' ({to:O}).");
        }

        return (from, to);
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw HubProblemException.BadRequest($"query '{name}' is '{text}', not an ISO 8601 time (e.g. 2026-11-22T10:00:00Z).");
    }

    /// <summary>A whole-number parameter within [min, max], or the fallback when absent.</summary>
    public static int Int(IQueryCollection query, string name, int fallback, int min, int max)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw HubProblemException.BadRequest($"query '{name}' is '{text}'; expected a whole number from {min} to {max}.");
    }
}
