using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Alliance;
using AiFactory.Testing;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests.Alliance;

/// <summary>Data rooms: de-identified raw chunks for granted companies' data scientists, audited, stopped by revocation; a training-set export the models' scripts read.</summary>
[Trait("Category", "Integration")]
public sealed class DataRoomTests : IAsyncLifetime
{
    private AllianceWorld _w = null!;

    public async Task InitializeAsync()
    {
        _w = await AllianceWorld.StartAsync();
        await _w.AddRoomCompaniesAsync(["pump/acc1", "pump/flow", "pump/secret"], new RawRow(T0, [0.213, 32.46, 7]), new RawRow(T0.AddSeconds(1), [null, 32.71, 8]));
    }

    public async Task DisposeAsync() => await _w.DisposeAsync();

    private async Task<HttpResponseMessage> OfferAsync(string id = "pumps-2026", string[]? grantees = null, object? deid = null, string station = "s-l1") =>
        await (await _w.Key("acme", "company-admin")).PostAsJsonAsync("/api/v1/alliances/ev/companies/acme/offers", new
        {
            id, plant = "p1", line = "l1", station, from = T0.AddHours(-1), to = T0.AddHours(1), purpose = "model-development",
            grantees = grantees ?? ["globex"], expires = AllianceWorld.Expiry,
            deidentification = deid ?? new { tagNames = new Dictionary<string, string> { ["pump/acc1"] = "Accelerometer1RMS", ["pump/flow"] = "Volume Flow RateRMS" }, offsets = new Dictionary<string, double> { ["pump/flow"] = -30 }, quantum = 0.1, timeShiftSeconds = -86_400 },
        });

    [Fact]
    public async Task GrantedScientist_ReadsDeidentifiedChunks_OthersSeeNothing()
    {
        Assert.Equal(HttpStatusCode.Created, (await OfferAsync()).StatusCode);
        var globex = await _w.Key("globex", "data-scientist");
        var initech = await _w.Key("initech", "data-scientist");

        var listed = await _w.GetJsonAsync(globex, "/api/v1/alliances/ev/datasets");
        var chunks = await _w.GetJsonAsync(globex, "/api/v1/alliances/ev/datasets/pumps-2026/chunks");
        var notListed = await _w.GetJsonAsync(initech, "/api/v1/alliances/ev/datasets");
        var refused = await initech.GetAsync("/api/v1/alliances/ev/datasets/pumps-2026/chunks");

        var dataset = Assert.Single(listed.EnumerateArray());
        Assert.Equal("pumps-2026", dataset.GetProperty("id").GetString());
        Assert.Equal(T0.AddHours(-1).AddDays(-1), dataset.GetProperty("from").GetDateTimeOffset());
        Assert.False(dataset.TryGetProperty("companyId", out _));
        var chunk = Assert.Single(chunks.EnumerateArray());
        Assert.Equal(["Accelerometer1RMS", "Volume Flow RateRMS", "tag3"], chunk.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var rows = chunk.GetProperty("rows");
        Assert.Equal(T0.AddDays(-1), rows[0].GetProperty("time").GetDateTimeOffset());
        Assert.Equal([0.2, 2.5, 7.0], rows[0].GetProperty("values").EnumerateArray().Select(v => Math.Round(v.GetDouble(), 9)));
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("values")[0].ValueKind);
        Assert.Equal(2.7, Math.Round(rows[1].GetProperty("values")[1].GetDouble(), 9));
        Assert.DoesNotContain("pump/", chunks.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(notListed.EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("dataset 'pumps-2026' is not granted to company 'initech' (never offered to it, revoked or expired).", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revocation_StopsTheNextAccess_AndEveryAccessIsAudited()
    {
        Assert.Equal(HttpStatusCode.Created, (await OfferAsync()).StatusCode);
        var globex = await _w.Key("globex", "data-scientist");
        var admin = await _w.Key("acme", "company-admin");
        Assert.Equal(HttpStatusCode.OK, (await globex.GetAsync("/api/v1/alliances/ev/datasets/pumps-2026/chunks")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await globex.GetAsync("/api/v1/alliances/ev/datasets/pumps-2026/training.csv")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/alliances/ev/companies/acme/offers/pumps-2026")).StatusCode);
        var read = await globex.GetAsync("/api/v1/alliances/ev/datasets/pumps-2026/chunks");
        var export = await globex.GetAsync("/api/v1/alliances/ev/datasets/pumps-2026/training.csv");
        var listed = await _w.GetJsonAsync(globex, "/api/v1/alliances/ev/datasets");
        var again = await admin.DeleteAsync("/api/v1/alliances/ev/companies/acme/offers/pumps-2026");

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, export.StatusCode);
        Assert.Empty(listed.EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var acmeAudit = (await _w.GetJsonAsync(admin, "/api/v1/alliances/ev/companies/acme/audit?from=2026-01-01T00:00:00Z")).EnumerateArray().Reverse()
            .Select(e => e.GetProperty("action").GetString()).Where(a => a!.StartsWith("room.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["room.offer", "room.read", "room.export", "room.revoke"], acmeAudit);
        var globexAudit = (await _w.GetJsonAsync(await _w.Key("globex", "company-admin"), "/api/v1/alliances/ev/companies/globex/audit?from=2026-01-01T00:00:00Z")).EnumerateArray()
            .Select(e => e.GetProperty("action").GetString()).Where(a => a == "room.list").ToList();
        Assert.Single(globexAudit);
    }

    [Fact]
    public async Task OtherRoles_AreRefusedTheRoom()
    {
        Assert.Equal(HttpStatusCode.Created, (await OfferAsync()).StatusCode);
        var analyst = await _w.Key("globex", "alliance-analyst");

        var response = await analyst.GetAsync("/api/v1/alliances/ev/datasets/pumps-2026/chunks");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("role 'alliance-analyst' may not use the data room; a data-scientist key of a member company is needed.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadOffers_AreRefused_NamingTheField()
    {
        var bad = await OfferAsync(deid: new { tagNames = new Dictionary<string, string> { ["pump/acc1"] = "bad;name" } });
        var same = await OfferAsync(deid: new { tagNames = new Dictionary<string, string> { ["pump/acc1"] = "a", ["pump/flow"] = "a" } });
        var quantum = await OfferAsync(deid: new { quantum = -1 });
        var ok = await OfferAsync();
        var twice = await OfferAsync();

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("deidentification.tagNames['pump/acc1'] 'bad;name' is not a tag name: use 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit.", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("deidentification.tagNames gives two tags the same name.", await same.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("deidentification.quantum -1 must be a positive number.", await quantum.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("offer 'pumps-2026' already exists.", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [PandasFact]
    public async Task TrainingSet_IsReadByTheModelsReader()
    {
        // A station with the eight SKAB signals under its own tag names; the offer renames them to the names the models read.
        string[] skab = ["Accelerometer1RMS", "Accelerometer2RMS", "Current", "Pressure", "Temperature", "Thermocouple", "Voltage", "Volume Flow RateRMS"];
        using (var edge = _w.Hub.Client(await _w.Hub.SetupPlantAsync("acme", "p1", "acme-raw2", ("l1", "rig"))))
        {
            var chunk = new StationRawChunk("acme", "p1", "l1", "rig", skab.Select((_, i) => $"rig/s{i}").ToList(),
                [new RawRow(T0, [0.02, 0.04, 1.3, 0.05, 79.3, 26.0, 233.0, 32.46]), new RawRow(T0.AddSeconds(1), [0.03, 0.04, 1.4, null, 79.5, 26.1, 236.0, 32.71])]);
            Assert.Equal(HttpStatusCode.OK, (await edge.PostAsync("/api/v1/ingest", Json(new UplinkBatch("acme-raw2", 1, 1, T0, [new UplinkRecord(1, null, null, chunk)], new OutboxReport(0, 0, null, 0, 0, 0))))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await OfferAsync(station: "rig", deid: new { tagNames = skab.Select((n, i) => (n, i)).ToDictionary(x => $"rig/s{x.i}", x => x.n) })).StatusCode);
        var response = await (await _w.Key("globex", "data-scientist")).GetAsync("/api/v1/alliances/ev/datasets/pumps-2026/training.csv");
        var csv = await response.Content.ReadAsStringAsync();
        var file = Path.Combine(Directory.CreateTempSubdirectory("aifactory-room-").FullName, "0.csv");
        await File.WriteAllTextAsync(file, csv);

        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var a in new[] { "-c", "import sys; sys.path.insert(0, 'models/pump-anomaly'); import pipeline as P; df = P.read_skab(sys.argv[1]); x = df[P.FEATURES_ALL].to_numpy(); print(x.shape, x[1].tolist(), int(df['anomaly'].sum()))", file })
        {
            start.ArgumentList.Add(a);
        }

        using var python = Process.Start(start)!;
        var output = await python.StandardOutput.ReadToEndAsync();
        var error = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();

        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(
            "datetime;Accelerometer1RMS;Accelerometer2RMS;Current;Pressure;Temperature;Thermocouple;Voltage;Volume Flow RateRMS;anomaly;changepoint\n" +
            "2026-11-22 10:00:00.000;0.02;0.04;1.3;0.05;79.3;26;233;32.46;0;0\n2026-11-22 10:00:01.000;0.03;0.04;1.4;;79.5;26.1;236;32.71;0;0\n", csv);
        Assert.True(python.ExitCode == 0, error);
        Assert.Equal("(2, 8) [0.03, 0.04, 1.4, nan, 79.5, 26.1, 236.0, 32.71] 0\n", output);
    }
}
