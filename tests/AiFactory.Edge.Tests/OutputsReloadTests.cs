using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>Editing the outputs section while `run` runs: the verdict publisher is replaced, the stations keep running.</summary>
[Trait("Category", "Integration")]
public sealed class OutputsReloadTests : IDisposable
{
    private readonly MosquittoBroker _broker = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-outputs-").FullName;

    public void Dispose()
    {
        _broker.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [MosquittoFact]
    public async Task OutputsTopicEdited_PublisherIsReplaced_StationsKeepRunning()
    {
        _broker.Start();
        var file = Path.Combine(_dir, "line.yaml");
        await File.WriteAllTextAsync(file, Config("before"));
        using var before = _broker.Subscribe("before/+/verdict");
        using var after = _broker.Subscribe("after/+/verdict");
        var inner = new StringWriter();
        var output = TextWriter.Synchronized(inner);
        string Text()
        {
            lock (output)
            {
                return inner.ToString();
            }
        }

        var run = CliRunner.RunAsync(output, "run", "--config", file, "--duration", "8");
        await Eventually.WaitFor(() => before.Payloads.Count > 0, "verdicts on the first topic");

        await File.WriteAllTextAsync(file, Config("after"));
        await Eventually.WaitFor(() => Text().Contains(" applied: ", StringComparison.Ordinal), "the edit applied");
        await Eventually.WaitFor(() => after.Payloads.Count > 0, "verdicts on the edited topic");

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        var text = Text();
        Assert.Contains($"config {file} applied: outputs restarted", text, StringComparison.Ordinal);
        Assert.DoesNotContain("stations restarted", text, StringComparison.Ordinal);
        Assert.DoesNotContain("apply at the next start", text, StringComparison.Ordinal);
        Assert.Matches(@"output mqtt: [1-9]\d* verdicts published to after/<station>/verdict, 0 refused", text);
    }

    private string Config(string prefix) => $$"""
        sources:
          - {name: pump-sim, type: simulator, kind: pump, station: pump-1, speed: 400}
        outputs:
          mqtt:
            port: {{_broker.Port}}
            client_id: outputs-reload-{{prefix}}
            topic: {{prefix}}/{station}/verdict
        stations:
          - name: pump-1
            model: {{RepoPaths.Model("pump-vibration-flow")}}
            tags: {Accelerometer1RMS: pump-1/Accelerometer1RMS, Accelerometer2RMS: pump-1/Accelerometer2RMS, Volume Flow RateRMS: pump-1/Volume Flow RateRMS}

        """;
}
