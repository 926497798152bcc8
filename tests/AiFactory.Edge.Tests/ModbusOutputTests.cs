using System.Text.RegularExpressions;
using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Modbus;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>`run --config` with outputs.modbus: the simulated line's verdicts land in a PLC's (pymodbus) register and coil.</summary>
[Trait("Category", "Integration")]
public sealed partial class ModbusOutputTests : IDisposable
{
    private readonly PymodbusServer _plc = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-plc-").FullName;

    public void Dispose()
    {
        _plc.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [PymodbusFact]
    public async Task Run_SimulatedLine_WritesVerdictChangesToThePlc()
    {
        _plc.Start();
        var config = Path.Combine(_dir, "line.yaml");
        var plate = string.Join("\n", File.ReadAllLines(Path.Combine(RepoPaths.Root, "edge", "configs", "simulator.yaml"))
            .SkipWhile(l => !l.StartsWith("stations:", StringComparison.Ordinal))
            .Select(l => l.Replace("../../models", RepoPaths.Models, StringComparison.Ordinal)));
        File.WriteAllText(config, $"""
            sources:
              - {"{"}name: pump-sim, type: simulator, kind: pump, station: pump-1, seed: 42, speed: 100{"}"}
              - {"{"}name: plate-sim, type: simulator, kind: plate, station: plate-1, seed: 43, speed: 100{"}"}
            outputs:
              modbus:
                host: 127.0.0.1
                port: {_plc.Port}
                slave: 1
                registers: {"{"}plate-1: 50{"}"}
                coils: {"{"}pump-1: 20{"}"}
            {plate}
            """);

        var (exit, output) = await CliRunner.RunAsync("run", "--config", config, "--duration", "7");

        Assert.Equal(0, exit);
        var written = Written().Match(output);
        Assert.True(written.Success, output);
        Assert.True(int.Parse(written.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 3, written.Value);
        Assert.Contains("pump-1  ANOMALY", output, StringComparison.Ordinal);
        var register = await ReadBack(new ModbusPoint("class", 1, ModbusFunction.HoldingRegisters, 50));
        Assert.InRange(register, 1, 7);
    }

    private async Task<double> ReadBack(ModbusPoint point)
    {
        var samples = Channel.CreateUnbounded<TagSample>();
        using var stop = new CancellationTokenSource();
        var poller = new ModbusPoller(new ModbusBusOptions { Host = "127.0.0.1", Port = _plc.Port, Groups = [new ModbusPollGroup(TimeSpan.FromMilliseconds(100), [point])] });
        var running = poller.RunAsync(samples.Writer, stop.Token);
        var value = (await samples.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience)).Value;
        await stop.CancelAsync();
        await running;
        return value;
    }

    [GeneratedRegex(@"output modbus: (\d+) verdict changes written, 0 failed")]
    private static partial Regex Written();
}
