using System.Net.Http.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Alliance;
using AiFactory.Hub.Deployments;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace AiFactory.Hub.Tests.Alliance;

/// <summary>Drift as a metric family: each station report's largest input PSI, kept per hour, rolled up, benchmarked under the same rules.</summary>
[Trait("Category", "Integration")]
public sealed class DriftBenchmarkTests : IAsyncLifetime
{
    private AllianceWorld _w = null!;

    public async Task InitializeAsync() => _w = await AllianceWorld.StartAsync();

    public async Task DisposeAsync() => await _w.DisposeAsync();

    /// <summary>A report of one station whose one input's live values sit <paramref name="liveMean"/> standard deviations off.</summary>
    private static EdgeModelReport Report(string line, double liveMean) =>
        new("e", "x", [ModelReports.Station(line, "s-" + line, "pump-anomaly", ModelReports.Run(null, "1", 10, 0), inputs: [ModelReports.Feature("pressure", liveMean)])]);

    private Task RecordAsync(string company, double liveMean, int hour = 10) =>
        _w.Hub.Services.GetRequiredService<StationDriftStore>().RecordAsync(company, "p1", Report("l1", liveMean), AllianceWorld.Day1.AddHours(hour), CancellationToken.None);

    [Fact]
    public async Task SharedDrift_IsPublishedWithFiveCompanies_PrivateDriftNeverCounts()
    {
        var means = new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 3.0 };
        for (var i = 1; i <= 6; i++)
        {
            await _w.AddCompanyAsync($"c{i}", AllianceWorld.Day1, ("l1", "pumps", 100, 99, 1));
            await RecordAsync($"c{i}", means[i - 1]);
            if (i <= 4)
            {
                await _w.ShareAsync($"c{i}", "drift");
            }
        }

        // c1 reported twice in the day: its value is the mean of its two reports.
        await RecordAsync("c1", 0.3, hour: 11);
        await _w.RollAsync();
        var analyst = await _w.Key("c1", "alliance-analyst");

        var four = (await _w.GetJsonAsync(analyst, AllianceWorld.Benchmark("drift"))).GetProperty("cells")[0];
        await _w.ShareAsync("c5", "drift");
        var five = (await _w.GetJsonAsync(analyst, AllianceWorld.Benchmark("drift"))).GetProperty("cells")[0];

        Assert.Equal("fewer than 5 companies", four.GetProperty("suppressed").GetString());
        Assert.Equal(5, five.GetProperty("companies").GetInt64());
        var psi = means.Select(m => StationDriftStore.Figure(Report("l1", m).Stations[0])!.Value).ToArray();
        var c1 = (psi[0] + StationDriftStore.Figure(Report("l1", 0.3).Stations[0])!.Value) / 2;
        var expected = Distribution.Exact([c1, psi[1], psi[2], psi[3], psi[4]]);
        var p = five.GetProperty("percentiles");
        Assert.Equal(expected[2], p.GetProperty("p50").GetDouble(), 12);
        Assert.Equal(expected[4], p.GetProperty("p90").GetDouble(), 12);
        // c6 (private) drifts more than anyone: had it counted, p90 would lie between the largest shared value and its own.
        Assert.True(psi[5] > psi[..5].Max(), $"c6's PSI {psi[5]} should exceed every shared one");
    }

    [Fact]
    public async Task ModelReport_ThroughTheApi_KeepsTheStationsLargestJudgedPsiForItsHour()
    {
        await _w.AddCompanyAsync("c1", AllianceWorld.Day1, ("l1", "pumps", 100, 99, 1));

        await _w.ReportDriftAsync("c1", "l1", 0.5);
        await _w.ReportDriftAsync("c1", "l1", 1.0);

        await using var c = await _w.Hub.Services.GetRequiredService<HubDatabase>().OpenAsync(CancellationToken.None);
        var rows = (await c.QueryAsync<(string Station, double Psi, long Reports)>("SELECT station_id, psi_sum, reports FROM station_drift_hours WHERE company_id = 'c1'")).ToList();
        var expected = StationDriftStore.Figure(Report("l1", 0.5).Stations[0])!.Value + StationDriftStore.Figure(Report("l1", 1.0).Stations[0])!.Value;
        var only = Assert.Single(rows);
        Assert.Equal("s-l1", only.Station);
        Assert.Equal(2, only.Reports);
        Assert.Equal(expected, only.Psi, 9);
    }

    [Fact]
    public async Task Retagging_ALineAfterTheRollup_MovesItsDaysToTheNewProcessType()
    {
        for (var i = 1; i <= 6; i++)
        {
            await _w.AddCompanyAsync($"c{i}", AllianceWorld.Day1, ("l1", "pumps", 100, 100 - i, i));
            await _w.ShareAsync($"c{i}");
            await _w.ShareAsync($"c{i}", "defect-rate");
        }

        await _w.RollAsync();
        var analyst = await _w.Key("c1", "alliance-analyst");
        var before = (await _w.GetJsonAsync(analyst, AllianceWorld.Benchmark())).GetProperty("cells")[0];
        var created = await _w.Hub.Admin.PostAsJsonAsync("/api/v1/admin/process-types", new { id = "rolling", name = "Steel rolling" });
        var retag = await _w.Hub.Admin.PutAsJsonAsync("/api/v1/admin/companies/c6/plants/p1/lines/l1/process", new { processType = "rolling", productFamily = "coils" });
        // Another metric: its released sets are its own, so the smaller set is not held back as a difference.
        var after = (await _w.GetJsonAsync(analyst, AllianceWorld.Benchmark("defect-rate"))).GetProperty("cells")[0];

        Assert.True(created.IsSuccessStatusCode && retag.IsSuccessStatusCode, await retag.Content.ReadAsStringAsync());
        Assert.Equal(6, before.GetProperty("companies").GetInt64());
        Assert.Equal(5, after.GetProperty("companies").GetInt64());
        await using var c = await _w.Hub.Services.GetRequiredService<HubDatabase>().OpenAsync(CancellationToken.None);
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM alliance_line_spans WHERE company_id = 'c6' AND process_type <> 'rolling'"));
        Assert.True(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM alliance_line_spans WHERE company_id = 'c6' AND product_family = 'coils'") > 1);
    }

    [Fact]
    public void Figure_IsTheLargestPsiOfTheInputsWithEnoughSamples()
    {
        var station = ModelReports.Station("l1", "s1", "m", ModelReports.Run(null, "1", 1, 0), inputs:
        [
            ModelReports.Feature("a", 0.2), ModelReports.Feature("b", 1.0), ModelReports.Feature("few", 4.0, samples: 50),
        ]);
        var none = ModelReports.Station("l1", "s1", "m", ModelReports.Run(null, "1", 1, 0), inputs: [ModelReports.Feature("few", 4.0, samples: 50)]);

        Assert.Equal(DriftMeasure.Measure(ModelReports.Feature("b", 1.0)).Psi, StationDriftStore.Figure(station));
        Assert.Null(StationDriftStore.Figure(none));
    }
}
