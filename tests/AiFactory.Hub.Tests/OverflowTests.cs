using System.Net;
using System.Net.Http.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests;

/// <summary>
/// Counts that would wrap: refused at ingest with the field named, saturated (never wrapped) in a bucket, and a
/// query whose sums do not fit answers a problem instead of an empty 500.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OverflowTests : IAsyncLifetime
{
    private const string HourQuery = "/api/v1/companies/acme/plants/p1/lines/l1/stations/s1/metrics?from=2026-11-22T10:00:00Z&to=2026-11-22T11:00:00Z&bucket=hour";
    private HubHarness _hub = null!;
    private HttpClient _edge = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubHarness.StartAsync();
        _edge = _hub.Client(await _hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"), ("l1", "s2"), ("l1", "s3")));
    }

    public async Task DisposeAsync()
    {
        _edge.Dispose();
        await _hub.DisposeAsync();
    }

    [Fact]
    public async Task PassCountNearLongMax_Is400AndTheHourStaysReadable()
    {
        var wrapping = Summary("e1", "acme", "p1", "l1", "s1", T0, 20, 10, 1) with { PassCount = long.MaxValue, FailCount = 1 };

        var refused = await _edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [wrapping])));
        var accepted = await _edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 2, [Summary("e1", "acme", "p1", "l1", "s1", T0.AddMinutes(1), 20, 18, 2)])));
        var hour = await _hub.Admin.GetAsync(HourQuery);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("records[0].summary.passCount (9223372036854775807) exceeds 1000000000000", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hour.StatusCode);
        var totals = (await hour.Content.ReadFromJsonAsync<MetricsResponse>())!.Totals;
        Assert.Equal((20L, 18L, 2L, 0.9), (totals.Frames, totals.Pass, totals.Fail, totals.FirstPassYield!.Value));
    }

    [Fact]
    public async Task BucketNearTheCeiling_SaturatesAndReadsBack()
    {
        (await _edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", T0, 20, 20, 0)])))).EnsureSuccessStatusCode();
        await SetHourFramesAsync("s1", BulkUpsert.MaxCounter - 5);

        var accepted = await _edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 2, [Summary("e1", "acme", "p1", "l1", "s1", T0.AddMinutes(1), 20, 20, 0)])));
        var hour = await _hub.Admin.GetAsync(HourQuery);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hour.StatusCode);
        Assert.Equal(BulkUpsert.MaxCounter, (await hour.Content.ReadFromJsonAsync<MetricsResponse>())!.Totals.Frames);
    }

    [Fact]
    public async Task SumsBeyondLong_Are422ProblemNotEmpty500()
    {
        foreach (var station in new[] { "s1", "s2", "s3" })
        {
            (await _edge.PostAsync("/api/v1/ingest", Json(Batch("e1", station[1] - '0', [Summary("e1", "acme", "p1", "l1", station, T0, 20, 20, 0)])))).EnsureSuccessStatusCode();
            await SetHourFramesAsync(station, BulkUpsert.MaxCounter);
        }

        var hour = await _hub.Admin.GetAsync("/api/v1/companies/acme/metrics?from=2026-11-22T10:00:00Z&to=2026-11-22T11:00:00Z&bucket=hour");

        Assert.Equal((HttpStatusCode)422, hour.StatusCode);
        Assert.Equal("application/problem+json", hour.Content.Headers.ContentType?.MediaType);
        Assert.Contains("add up to more than a 64-bit count holds", await hour.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Puts a station's hour bucket where only many years of forged uploads could bring it.</summary>
    private async Task SetHourFramesAsync(string station, long frames)
    {
        var db = _hub.Services.GetRequiredService<HubDatabase>();
        var changed = await db.WriteAsync(
            (c, tx) => c.ExecuteAsync("UPDATE station_buckets SET frames = @frames WHERE station_id = @station AND granularity = 3600", new { frames, station }, tx),
            CancellationToken.None);
        Assert.Equal(1, changed);
    }
}
