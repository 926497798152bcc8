using AiFactory.Edge.Config;
using AiFactory.Edge.Uplink.Outbox;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

[Trait("Category", "Unit")]
public sealed class UplinkConfigTests : IDisposable
{
    private const string Sources = """
        sources:
          - {name: pump-sim, type: simulator, kind: pump, station: pump-1}
          - {name: plate-sim, type: simulator, kind: plate, station: plate-1}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-uplink-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_ShippedUplinkExample_BuildsIdentityHubKeyOutboxAndLines()
    {
        Environment.SetEnvironmentVariable("AIFACTORY_HUB_KEY", "k-123");
        try
        {
            var file = Path.Combine(RepoPaths.Root, "edge", "configs", "simulator-uplink.yaml");
            var uplink = EdgeConfigReader.Read(file).Uplink!;

            Assert.Equal(new EdgeIdentity("plant1-edge-a", "acme", "plant-1"), uplink.Edge);
            Assert.Equal(new Uri("http://127.0.0.1:5080/"), uplink.Hub);
            Assert.Equal("k-123", uplink.ApiKey);
            Assert.Equal(TimeSpan.FromSeconds(10), uplink.Window);
            Assert.Equal(Path.Combine(RepoPaths.Root, ".aifactory", "outbox.db"), uplink.Outbox.Path);
            Assert.Equal((256L * 1024 * 1024, TimeSpan.FromDays(7), OutboxFullPolicy.DropOldest), (uplink.Outbox.MaxBytes, uplink.Outbox.MaxAge, uplink.Outbox.FullPolicy));
            Assert.Equal(("line-1", 0), (uplink.Stations["pump-1"].Line, uplink.Stations["pump-1"].PassClasses.Count));
            Assert.Equal("line-1", uplink.Stations["plate-1"].Line);
            Assert.False(uplink.Stations["pump-1"].RawUpload); // raw values stay in the plant unless a station opts in
        }
        finally
        {
            Environment.SetEnvironmentVariable("AIFACTORY_HUB_KEY", null);
        }
    }

    [Fact]
    public void Read_NoUplinkSection_HasNoUplinkAndNeedsNoLines()
    {
        var config = EdgeConfigReader.Read(Path.Combine(RepoPaths.Root, "edge", "configs", "simulator.yaml"));

        Assert.Null(config.Uplink);
    }

    [Fact]
    public void Read_UplinkWithDefaults_FillsThemIn()
    {
        var file = Write($$"""
            edge: {id: e1, company: c1, plant: p1}
            uplink:
              hub: https://hub.example.org/aifactory
              api_key: literal-key
            {{Sources}}
            stations:
              - name: plate-1
                line: l2
                pass_classes: [Other_Faults]
                raw_upload: true
                model: MODELS/steel-defects
                trigger: plate-1/part_complete
                tags: TAGS
            """);

        var uplink = EdgeConfigReader.Read(file).Uplink!;

        Assert.Equal(new Uri("https://hub.example.org/aifactory/api/v1/ingest"), new Uri(uplink.Hub, "api/v1/ingest"));
        Assert.Equal(Path.Combine(_dir, "aifactory-outbox.db"), uplink.Outbox.Path);
        Assert.Equal((500, 1024L * 1024, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30)), (uplink.BatchRecords, uplink.BatchBytes, uplink.BackoffCap, uplink.RequestTimeout));
        Assert.Equal(["Other_Faults"], uplink.Stations["plate-1"].PassClasses);
        Assert.True(uplink.Stations["plate-1"].RawUpload);
    }

    [Fact]
    public void Read_BrokenUplink_ReportsEveryProblemWithLineKeyAndHint()
    {
        var file = Write($$"""
            uplink:
              hub: ftp://hub
              api_key: ${AIFACTORY_TEST_UNSET_KEY}
              window_s: 7
              retries: 3
              outbox:
                when_full: drop-newest
            {{Sources}}
            stations:
              - name: pump-1
                pass_classes: [ok]
                model: MODELS/pump-vibration-flow
                tags:
                  Accelerometer1RMS: pump-1/Accelerometer1RMS
                  Accelerometer2RMS: pump-1/Accelerometer2RMS
                  Volume Flow RateRMS: pump-1/Volume Flow RateRMS
              - name: plate-1
                line: l1
                pass_classes: [Scratch]
                model: MODELS/steel-defects
                trigger: plate-1/part_complete
                tags: TAGS
            """);

        var problems = Assert.Throws<EdgeConfigException>(() => EdgeConfigReader.Read(file)).Problems;

        Assert.Contains($"{file}:2:3: edge: is required when uplink is configured (hint: edge: {{id: plant1-edge-a, company: acme, plant: plant-1}} — the hub checks the key owns them)", problems);
        Assert.Contains($"{file}:2:8: uplink.hub: 'ftp://hub' is not an http:// or https:// address (hint: e.g. https://hub.example.org/ or http://127.0.0.1:5080/)", problems);
        Assert.Contains($"{file}:3:12: uplink.api_key: environment variable AIFACTORY_TEST_UNSET_KEY is not set (hint: export it before starting the agent; secrets stay out of the file)", problems);
        Assert.Contains($"{file}:4:13: uplink.window_s: 7 s does not divide a day evenly (hint: windows align to the clock: 1, 5, 10, 15, 30, 60 … seconds)", problems);
        Assert.Contains(problems, p => p.StartsWith($"{file}:5:3: uplink.retries: unknown key (hint: known keys here: hub, api_key, window_s, outbox,", StringComparison.Ordinal));
        Assert.Contains($"{file}:7:16: uplink.outbox.when_full: 'drop-newest' is not a policy (hint: drop-oldest (keep producing, lose the oldest unsent records) or reject-new (keep what is stored, refuse new records))", problems);
        Assert.Contains($"{file}:12:5: stations[0].line: is required (hint: the line the station belongs to on the hub, e.g. line: line-1)", problems);
        Assert.Contains($"{file}:13:19: stations[0].pass_classes: station 'pump-1' runs anomaly model 'pump-vibration-flow', which has no classes (hint: pass_classes applies to classification stations)", problems);
        Assert.Contains(problems, p => p.StartsWith($"{file}:21:20: stations[1].pass_classes: 'Scratch' is not a class of model 'steel-defects' (hint: its classes: Pastry_Fault, Z_Scratch_Fault,", StringComparison.Ordinal));
        Assert.Equal(9, problems.Count);
    }

    [Fact]
    public void Read_TrustedKeys_AreTheOnlyKeysTheEdgeRunsPackagesOf()
    {
        var file = WithTrustedKeys("3fa2c41b9d0e7a65, 00112233445566ff");

        Assert.Equal(["3fa2c41b9d0e7a65", "00112233445566ff"], EdgeConfigReader.Read(file).Uplink!.TrustedKeys);
    }

    [Fact]
    public void Read_TrustedKeyThatIsNotAKeyId_IsNamedWithItsLine()
    {
        var file = WithTrustedKeys("3FA2C41B9D0E7A65");

        var problems = Assert.Throws<EdgeConfigException>(() => EdgeConfigReader.Read(file)).Problems;

        Assert.Equal([$"{file}:5:18: uplink.trusted_keys: '3FA2C41B9D0E7A65' is not a signing key id (16 lower-case hex digits) (hint: aifactory model key create prints the key's id)"], problems);
    }

    [Fact]
    public void Read_IdsBreakingTheGrammar_NameFieldAndGrammar()
    {
        var file = Write($$"""
            edge: {id: "Plant1 Edge", company: "acme\n[16:09:99 INF] x", plant: plant-1}
            uplink:
              hub: http://127.0.0.1:5080/
              api_key: literal-key
            {{Sources}}
            stations:
              - name: pump-1
                line: Line_1
                model: MODELS/pump-anomaly
                tags:
                  Accelerometer1RMS: pump-1/Accelerometer1RMS
                  Accelerometer2RMS: pump-1/Accelerometer2RMS
                  Volume Flow RateRMS: pump-1/Volume Flow RateRMS
            """);

        var problems = Assert.Throws<EdgeConfigException>(() => EdgeConfigReader.Read(file)).Problems;

        const string Grammar = "is not a valid id: use 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit ([a-z0-9][a-z0-9._-]{0,63})";
        Assert.Contains($"{file}:1:12: edge.id: 'Plant1 Edge' {Grammar}. (hint: the edge's id on the hub, e.g. plant1-edge-a)", problems);
        Assert.Contains($@"{file}:1:36: edge.company: 'acme\n[16:09:99 INF] x' {Grammar}. (hint: the company id on the hub)", problems);
        Assert.Contains($"{file}:10:11: stations[0].line: 'Line_1' {Grammar}. (hint: the line the station belongs to on the hub, e.g. line: line-1)", problems);
    }

    /// <summary>A plate line with an uplink whose <c>trusted_keys</c> list holds <paramref name="keys"/> (line 5, column 18).</summary>
    private string WithTrustedKeys(string keys) => Write($$"""
        edge: {id: e1, company: c1, plant: p1}
        uplink:
          hub: http://127.0.0.1:5080/
          api_key: literal-key
          trusted_keys: [{{keys}}]
        {{Sources}}
        stations:
          - name: plate-1
            line: l2
            model: MODELS/steel-defects
            trigger: plate-1/part_complete
            tags: TAGS
        """);

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "line.yaml");
        var plateTags = "{" + string.Join(", ", Core.Models.ModelCardReader.Read(RepoPaths.Model("steel-defects")).Input.Features.Select(f => $"{f}: plate-1/{f}")) + "}";
        File.WriteAllText(path, yaml.Replace("MODELS", RepoPaths.Models, StringComparison.Ordinal).Replace("TAGS", plateTags, StringComparison.Ordinal));
        return path;
    }
}
