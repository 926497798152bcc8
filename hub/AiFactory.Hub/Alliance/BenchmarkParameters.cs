using AiFactory.Hub.Hosting;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Http;

namespace AiFactory.Hub.Alliance;

/// <summary>The query string of benchmarks and reports: process type, metric, whole-day period, breakdown, ε.</summary>
public static class BenchmarkParameters
{
    /// <summary>Periods are whole UTC days: 'from' and 'to' round down to midnight; the default is the last 30 complete days.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Period(IQueryCollection query, DateTimeOffset now)
    {
        var today = DateTimeOffset.FromUnixTimeSeconds(LineDayRollup.DayStart(now));
        var (from, to) = QueryParameters.Range(query, today, TimeSpan.FromDays(30));
        from = DateTimeOffset.FromUnixTimeSeconds(LineDayRollup.DayStart(from));
        to = DateTimeOffset.FromUnixTimeSeconds(LineDayRollup.DayStart(to));
        if (to <= from)
        {
            throw HubProblemException.BadRequest($"the period from {from:O} to {to:O} holds no whole UTC day; benchmarks cover whole days.");
        }

        if (to - from > TimeSpan.FromDays(366))
        {
            throw HubProblemException.BadRequest($"the period from {from:O} to {to:O} is longer than 366 days.");
        }

        return (from, to);
    }

    public static string Process(IQueryCollection query)
    {
        var process = query["process"].ToString();
        TenancyIds.Check("query 'process' (a process type)", process);
        return process;
    }

    public static bool ByFamily(IQueryCollection query) => query["by"].ToString() switch
    {
        "" => false,
        "family" => true,
        var by => throw HubProblemException.BadRequest($"query 'by' is '{by}'; the only breakdown is 'family'."),
    };

    public static double? Epsilon(IQueryCollection query)
    {
        var text = query["epsilon"].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var e) && e > 0 && double.IsFinite(e)
            ? e
            : throw HubProblemException.BadRequest($"query 'epsilon' is '{text}'; expected a number above 0.");
    }
}
