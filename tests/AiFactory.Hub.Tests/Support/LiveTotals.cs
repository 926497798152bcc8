using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using AiFactory.Hub.Queries;

namespace AiFactory.Hub.Tests.Support;

/// <summary>A line's frame counters, from its live view (1-hour KPIs) or from SQL (metrics over a range).</summary>
internal sealed record LiveTotals(long Frames, long Pass, long Fail, long Anomalies, string Stations)
{
    /// <summary>
    /// Reads the line's live view until a snapshot equals <paramref name="expected"/> or <paramref name="patience"/>
    /// passes; answers the last snapshot's totals.
    /// </summary>
    public static async Task<LiveTotals> FromLiveViewAsync(HttpClient client, string line, LiveTotals expected, TimeSpan patience)
    {
        using var cts = new CancellationTokenSource(patience);
        LiveTotals? last = null;
        try
        {
            using var response = await client.GetAsync($"/api/v1/companies/acme/plants/p1/lines/{line}/live", HttpCompletionOption.ResponseHeadersRead, cts.Token);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(cts.Token))
            {
                last = Of(JsonDocument.Parse(item.Data).RootElement);
                if (last == expected)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
        }

        return last ?? throw new TimeoutException($"line {line}'s live view sent no snapshot in {patience.TotalSeconds} s");
    }

    /// <summary>The line's and its stations' totals in SQL over <paramref name="range"/> (a metrics query string).</summary>
    public static async Task<LiveTotals> FromSqlAsync(HttpClient client, string line, IEnumerable<string> stations, string range)
    {
        var path = $"/api/v1/companies/acme/plants/p1/lines/{line}";
        var t = (await client.GetFromJsonAsync<MetricsResponse>($"{path}/metrics{range}"))!.Totals;
        var perStation = new List<string>();
        foreach (var station in stations.Order(StringComparer.Ordinal))
        {
            perStation.Add($"{station}={(await client.GetFromJsonAsync<MetricsResponse>($"{path}/stations/{station}/metrics{range}"))!.Totals.Frames}");
        }

        return new LiveTotals(t.Frames, t.Pass, t.Fail, t.Anomalies, string.Join(',', perStation));
    }

    private static LiveTotals Of(JsonElement snapshot)
    {
        var hour = snapshot.GetProperty("kpis").GetProperty("oneHour");
        var stations = snapshot.GetProperty("children").EnumerateArray()
            .Select(c => (Id: c.GetProperty("id").GetString()!, Frames: c.GetProperty("oneHour").GetProperty("frames").GetInt64()))
            .OrderBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => $"{c.Id}={c.Frames}");
        return new LiveTotals(
            hour.GetProperty("frames").GetInt64(), hour.GetProperty("pass").GetInt64(), hour.GetProperty("fail").GetInt64(),
            hour.GetProperty("anomalies").GetInt64(), string.Join(',', stations));
    }
}
