using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Audit;
using AiFactory.Hub.Deployments;
using AiFactory.Hub.Models;
using AiFactory.Hub.Tests.Support;
using static AiFactory.Hub.Tests.Support.ModelReports;

namespace AiFactory.Hub.Tests.Models;

/// <summary>Deployments on the hub, with edges simulated over HTTP: desired state, shadow and canary, promote, rollback (by hand and by rule), drift.</summary>
[Trait("Category", "Integration")]
public sealed class DeploymentTests : IAsyncLifetime
{
    private HubHarness _hub = null!;
    private ModelPush _ds = null!;
    private HttpClient _edge = null!;
    private HttpClient _otherEdge = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubHarness.StartAsync();
        _edge = _hub.Client(await _hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"), ("l1", "s2"), ("l1", "s3"), ("l2", "t1")));
        _otherEdge = _hub.Client(await _hub.SetupPlantAsync("globex", "g1", "g-e1", ("gl1", "gs1")));
        _ds = await ModelPush.CreateAsync(_hub, "acme");
    }

    public async Task DisposeAsync()
    {
        _ds.Dispose();
        _edge.Dispose();
        _otherEdge.Dispose();
        await _hub.DisposeAsync();
    }

    [Fact]
    public async Task ShadowThenPromote_HeldPollAnswersAtOnceAndProductionTakesTheCandidate()
    {
        var package = await PushAsync("9.2.0");
        var shadow = await DeployAsync(new { packageId = package.PackageId, targets = new[] { "p1/l1" }, strategy = "shadow" });
        var first = await DesiredAsync(null);

        Assert.Equal(["l1/s1", "l1/s2", "l1/s3"], first.Stations.Select(s => $"{s.LineId}/{s.StationId}"));
        Assert.All(first.Stations, s => Assert.Equal((null, package.PackageId, shadow.Id), (s.Production?.PackageId, s.Shadow?.PackageId, s.DeploymentId)));
        Assert.Equal(package.Manifest, first.Stations[0].Shadow!.Manifest);

        var held = DesiredAsync(first.Etag, waitSeconds: 20);
        var clock = Stopwatch.StartNew();
        var promoted = await PostAsync<Deployment>($"/api/v1/companies/acme/deployments/{shadow.Id}/promote");
        var next = await held;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the held poll answered after {clock.Elapsed}");
        Assert.Equal(Deployment.Promoted, promoted.State);
        Assert.NotEqual(first.Etag, next.Etag);
        Assert.All(next.Stations, s => Assert.Equal((package.PackageId, (string?)null), (s.Production?.PackageId, s.Shadow?.PackageId)));
    }

    [Fact]
    public async Task ShadowReports_AreShownSideBySideWithAgreement()
    {
        var package = await PushAsync("9.2.1");
        var d = await DeployAsync(new { packageId = package.PackageId, targets = new[] { "p1/l1/s1" }, strategy = "shadow", rules = new { minFrames = 100_000 } });
        await ReportAsync(Station("l1", "s1", "pump-anomaly", Run(null, "2.0.0", 400, 20), Run(package.PackageId, "9.2.1", 400, 28, latencyMs: 0.8), 400, 388));

        var status = (await _ds.Client.GetFromJsonAsync<DeploymentStatus>($"/api/v1/companies/acme/deployments/{d.Id}"))!;

        Assert.Equal((400L, 0.07, 400L, 0.05), (status.Candidate.Frames, status.Candidate.VerdictRate, status.Production.Frames, status.Production.VerdictRate));
        Assert.Equal((400L, 0.97), (status.Compared, status.AgreementRate));
        var station = Assert.Single(status.Stations);
        Assert.Equal(("p1/l1/s1", "e1", package.PackageId), (station.Station, station.EdgeId, station.Shadow!.PackageId));
        Assert.Equal(0.8, station.Shadow.LatencyP99Ms, 6);
    }

    [Fact]
    public async Task CanaryWhoseVerdictRateJumps_IsRolledBackByTheHubAndItsStationsReturnToProduction()
    {
        var package = await PushAsync("9.2.2");
        var canary = await DeployAsync(new { packageId = package.PackageId, targets = new[] { "p1/l1" }, strategy = "canary", share = 0.33 });
        var chosen = Assert.Single(canary.Stations);
        var others = new[] { "p1/l1/s1", "p1/l1/s2", "p1/l1/s3" }.Where(s => s != chosen).ToList();
        Assert.Equal(package.PackageId, (await DesiredAsync(null)).Stations.Single(s => "p1/l1/" + s.StationId == chosen).Production?.PackageId);
        var held = DesiredAsync((await DesiredAsync(null)).Etag, waitSeconds: 20);

        await ReportAsync(
            Station("l1", others[0].Split('/')[2], "pump-anomaly", Run(null, "2.0.0", 1000, 50)),
            Station("l1", others[1].Split('/')[2], "pump-anomaly", Run(null, "2.0.0", 1000, 50)),
            Station("l1", chosen.Split('/')[2], "pump-anomaly", Run(package.PackageId, "9.2.2", 1000, 600)));
        var after = await held;

        var ended = (await _ds.Client.GetFromJsonAsync<DeploymentStatus>($"/api/v1/companies/acme/deployments/{canary.Id}"))!.Deployment;
        Assert.Equal(Deployment.RolledBack, ended.State);
        Assert.Equal("rule verdict rate: 600 of 1000 frames judged fail or anomalous (60.00 %), outside the band -5.00 %..15.00 %; production's is 5.00 %", ended.Reason);
        Assert.DoesNotContain(after.Stations, s => s.Production is not null || s.Shadow is not null);
        var audit = (await _hub.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/v1/admin/audit"))!;
        Assert.Contains(audit, a => a.Action == "deployment.rollback" && a.Who == "hub rollback rules" && a.Target.Contains(canary.Id, StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "deployment.start" && a.Who.StartsWith("key ", StringComparison.Ordinal) && a.Who.EndsWith("(data-scientist)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PackageTheEdgeFailedToLoad_IsRolledBackAndTheStatusSaysWhy()
    {
        var package = await PushAsync("9.2.3");
        var d = await DeployAsync(new { packageId = package.PackageId, targets = new[] { "p1/l2" }, strategy = "shadow" });
        var failure = new ModelFailure(package.PackageId, "load", "loading model 'pump-anomaly' 9.2.3: out of memory", DateTimeOffset.UtcNow);

        await ReportAsync(Station("l2", "t1", "pump-anomaly", Run(null, "2.0.0", 10, 0), failures: [failure]));

        var status = (await _ds.Client.GetFromJsonAsync<DeploymentStatus>($"/api/v1/companies/acme/deployments/{d.Id}"))!;
        Assert.Equal(Deployment.RolledBack, status.Deployment.State);
        Assert.Equal("edge 'e1' station p1/l2/t1: load failed: loading model 'pump-anomaly' 9.2.3: out of memory", status.Deployment.Reason);
        Assert.Equal(failure.Reason, Assert.Single(Assert.Single(status.Stations).Failures).Reason);
    }

    [Fact]
    public async Task RollingBackAFullDeployment_RestoresThePreviousProductionPackage()
    {
        var v1 = await PushAsync("9.2.4");
        var v2 = await PushAsync("9.2.5");
        await DeployAsync(new { packageId = v1.PackageId, targets = new[] { "p1/l2/t1" }, strategy = "full" });
        var second = await DeployAsync(new { model = "pump-anomaly", version = "9.2.5", targets = new[] { "p1/l2/t1" }, strategy = "full" });
        Assert.Equal(v2.PackageId, (await DesiredAsync(null)).Stations.Single(s => s.StationId == "t1").Production?.PackageId);

        var rolled = await PostAsync<Deployment>($"/api/v1/companies/acme/deployments/{second.Id}/rollback", new { reason = "scrap rate up on line 2" });

        Assert.Equal((Deployment.RolledBack, "scrap rate up on line 2"), (rolled.State, rolled.Reason));
        Assert.Equal(v1.PackageId, (await DesiredAsync(null)).Stations.Single(s => s.StationId == "t1").Production?.PackageId);
    }

    [Fact]
    public async Task Drift_FeatureShiftedByTwoDeviations_IsAnAlarmAndAnUnmovedOneIsNot()
    {
        await ReportAsync(Station("l1", "s3", "pump-anomaly", Run(null, "2.0.0", 1000, 10), inputs: [Feature("Current", 0), Feature("Pressure", 2)]));

        var drift = (await _ds.Client.GetFromJsonAsync<List<StationDrift>>("/api/v1/companies/acme/drift?model=pump-anomaly"))!;

        var station = Assert.Single(drift, d => d.Station == "p1/l1/s3");
        Assert.True(station.Alarm);
        Assert.Equal(("none", 0.0, 0.0), (station.Features[0].Level, station.Features[0].Psi, station.Features[0].Ks));
        Assert.Equal("alarm", station.Features[1].Level);
        Assert.True(station.Features[1].Psi > 1, $"PSI {station.Features[1].Psi}");
    }

    [Theory]
    [InlineData("""{"model":"pump-anomaly","version":"2.0.0","targets":["p1"],"strategy":"shadow"}""", 404, "model 'pump-anomaly' version '2.0.0' is not registered in company 'acme'.")]
    [InlineData("""{"packageId":"PKG","targets":["p1/l9"],"strategy":"shadow"}""", 404, "target 'p1/l9' names no station of company 'acme'.")]
    [InlineData("""{"packageId":"PKG","targets":["p1/L1"],"strategy":"shadow"}""", 400, "target 'p1/L1' is not plant, plant/line or plant/line/station (each an id: [a-z0-9][a-z0-9._-]{0,63}).")]
    [InlineData("""{"packageId":"PKG","targets":["p1"],"strategy":"blue-green"}""", 400, "strategy 'blue-green' is not one of shadow, canary, full.")]
    [InlineData("""{"packageId":"PKG","targets":["p1"],"strategy":"canary","share":1.5}""", 400, "share must be above 0 and at most 1 for a canary (was 1.5).")]
    [InlineData("""{"packageId":"PKG","targets":[],"strategy":"full"}""", 400, "targets is empty; name plants, lines or stations (plant, plant/line, plant/line/station).")]
    [InlineData("""{"packageId":"PKG","targets":["p1"],"strategy":"shadow","rules":{"maxErrorRate":2}}""", 400, "rules.maxErrorRate must be between 0 and 1 (was 2).")]
    public async Task Deploy_BadRequest_IsRefusedNamingTheField(string body, int status, string detail)
    {
        var package = await PushAsync("9.3." + ((uint)body.GetHashCode(StringComparison.Ordinal) % 100_000));
        using var content = new StringContent(body.Replace("PKG", package.PackageId, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");

        var response = await _ds.Client.PostAsync("/api/v1/companies/acme/deployments", content);

        Assert.Equal(detail, await DetailAsync(response, (HttpStatusCode)status));
    }

    [Fact]
    public async Task AnotherCompanysPackageOrEdge_IsNotFound()
    {
        using var globex = await ModelPush.CreateAsync(_hub, "globex");
        var theirs = (await (await globex.PushAsync(ModelPush.Version("pump-anomaly", "9.4.0"))).Content.ReadFromJsonAsync<PackageInfo>())!;

        var deploy = await _ds.Client.PostAsJsonAsync("/api/v1/companies/acme/deployments", new { packageId = theirs.PackageId, targets = new[] { "p1" }, strategy = "full" });
        var theirState = await _edge.GetAsync("/api/v1/edges/g-e1/desired-state?waitSeconds=0");
        var report = await _otherEdge.PostAsJsonAsync("/api/v1/edges/e1/model-report", new EdgeModelReport("e1", "x", []));

        Assert.Equal($"package '{theirs.PackageId}' does not exist in company 'acme'.", await DetailAsync(deploy, HttpStatusCode.NotFound));
        Assert.Equal("edge 'g-e1' does not exist.", await DetailAsync(theirState, HttpStatusCode.NotFound));
        Assert.Equal("edge 'e1' does not exist.", await DetailAsync(report, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Report_OfAStationOutsideTheEdgesPlantOrWithForeignBounds_IsRefused()
    {
        var stranger = await _edge.PostAsJsonAsync("/api/v1/edges/e1/model-report", new EdgeModelReport("e1", "x", [Station("gl1", "gs1", "pump-anomaly", Run(null, "1", 1, 0))]));
        var bad = Run(null, "1", 1, 0);
        var bounds = await _edge.PostAsJsonAsync("/api/v1/edges/e1/model-report",
            new EdgeModelReport("e1", "x", [Station("l1", "s1", "pump-anomaly", bad with { Scores = bad.Scores with { Bounds = [1, 2], Counts = [1, 0, 0] } })]));

        Assert.Equal("report: stations[0]: station 'gl1/gs1' is not registered in the edge's plant.", await DetailAsync(stranger, HttpStatusCode.BadRequest));
        Assert.Equal("report: stations[0].production.scores: missing or not over the standard bounds.", await DetailAsync(bounds, HttpStatusCode.BadRequest));
    }

    private async Task<PackageInfo> PushAsync(string version)
    {
        var response = await _ds.PushAsync(ModelPush.Version("pump-anomaly", version));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PackageInfo>())!;
    }

    private async Task<Deployment> DeployAsync(object body)
    {
        var response = await _ds.Client.PostAsJsonAsync("/api/v1/companies/acme/deployments", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Deployment>())!;
    }

    private async Task<T> PostAsync<T>(string path, object? body = null)
    {
        var response = await _ds.Client.PostAsJsonAsync(path, body ?? new { });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private async Task<DesiredState> DesiredAsync(string? etag, int waitSeconds = 0) =>
        (await _edge.GetFromJsonAsync<DesiredState>($"/api/v1/edges/e1/desired-state?waitSeconds={waitSeconds}&etag={etag}"))!;

    private async Task ReportAsync(params StationModelReport[] stations)
    {
        var response = await _edge.PostAsJsonAsync("/api/v1/edges/e1/model-report", new EdgeModelReport("e1", "x", stations));
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;
    }
}
