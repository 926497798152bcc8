using System.Net;
using AiFactory.Hub.Tests.Support;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests;

/// <summary>Text from outside reaches the hub's real log (Serilog, the console's line format) escaped: no forged lines.</summary>
[Trait("Category", "Integration")]
public sealed class LogForgingTests : IAsyncLifetime
{
    private const string Forged = "x\n[16:09:99 INF] FORGED admin key revoked\n";
    private readonly string _log = Path.Combine(Directory.CreateTempSubdirectory("aifactory-log-").FullName, "hub.log");
    private HubHarness _hub = null!;
    private HttpClient _edge = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubHarness.StartAsync(extra:
        [
            "--Serilog:WriteTo:0:Name=File",
            $"--Serilog:WriteTo:0:Args:path={_log}",
            "--Serilog:WriteTo:0:Args:outputTemplate=[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
        ]);
        _edge = _hub.Client(await _hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
    }

    public async Task DisposeAsync()
    {
        _edge.Dispose();
        await _hub.DisposeAsync();
    }

    [Fact]
    public async Task ForgedStationIdAndPath_LandEscapedOnOneLine()
    {
        using var anonymous = _hub.Client(null);

        var ingest = await _edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", Forged, T0, 10, 9, 1)])));
        var noKey = await anonymous.GetAsync("/api/v1/companies/" + Uri.EscapeDataString(Forged) + "/metrics");
        var lines = await ReadLogAsync();

        Assert.Equal(HttpStatusCode.BadRequest, ingest.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.DoesNotContain(lines, l => l.StartsWith("[16:09:99", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(@"Refused a batch from e1 with 400: records[0].summary.stationId 'x\n[16:09:99 INF] FORGED admin key revoked\n' is not a valid id", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Refused /api/v1/companies/x%0A%5B16:09:99%20INF%5D%20FORGED%20admin%20key%20revoked%0A/metrics: no API key", StringComparison.Ordinal));
    }

    /// <summary>The log as written so far: the file sink flushes every event, and the hub keeps the file open.</summary>
    private async Task<string[]> ReadLogAsync()
    {
        await using var file = new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(file);
        return (await reader.ReadToEndAsync()).Split('\n');
    }
}
