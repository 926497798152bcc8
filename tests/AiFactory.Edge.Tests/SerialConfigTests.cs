using System.Threading.Channels;
using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Samples;
using AiFactory.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Edge.Tests;

/// <summary>A serial source's port settings from the line's YAML: each bad value named, good ones reaching the port.</summary>
public sealed class SerialConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-serial-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [Trait("Category", "Unit")]
    public async Task Validate_BadPortSettings_NameEachKeyAndValue()
    {
        var file = Write("""
            sources:
              - name: bath
                type: serial
                device: /dev/ttyUSB0
                pattern: T=(?<T>\S+)
                baud: 14400
                parity: X
                data_bits: 9
                stop_bits: 1.5
                handshake: rts
                read_timeout_ms: 0
            """);

        var (exit, output) = await CliRunner.RunAsync("validate", "--config", file);

        Assert.Equal(2, exit);
        Assert.Contains($"error: {file}:6:11: sources[0].baud: 14400 is not a standard rate (hint: 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400)", output, StringComparison.Ordinal);
        Assert.Contains($"error: {file}:7:13: sources[0].parity: 'X' must be N, E, O, M or S", output, StringComparison.Ordinal);
        Assert.Contains($"error: {file}:8:16: sources[0].data_bits: '9' must be a whole number from 5 to 8", output, StringComparison.Ordinal);
        Assert.Contains($"error: {file}:9:16: sources[0].stop_bits: '1.5' must be 1 or 2", output, StringComparison.Ordinal);
        Assert.Contains($"error: {file}:10:16: sources[0].handshake: 'rts' is not a handshake (hint: none, rts_cts, xon_xoff or rts_cts_xon_xoff)", output, StringComparison.Ordinal);
        Assert.Contains($"error: {file}:11:22: sources[0].read_timeout_ms: '0' must be a whole number from 10 to 60000", output, StringComparison.Ordinal);
        Assert.Contains("6 problem(s); the agent will not start with this file", output, StringComparison.Ordinal);
    }

    [SocatFact]
    [Trait("Category", "Integration")]
    public async Task Read_PortSettings_ReachTheOpenedDevice()
    {
        using var pty = new SocatPtyPair();
        pty.Start();
        var config = EdgeConfigReader.Read(Write($"""
            sources:
              - name: bath
                type: serial
                device: {pty.DevicePath}
                pattern: T=(?<T>\S+)
                baud: 57600
                parity: O
                stop_bits: 2
                handshake: rts_cts_xon_xoff
                read_timeout_ms: 50
            """));
        var source = Assert.Single(config.Sources).Create(NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var running = source.RunAsync(Channel.CreateUnbounded<TagSample>().Writer, stop.Token);
        await Eventually.WaitFor(() => source.Status.State == SourceState.Connected);

        var settings = pty.LineSettings();

        Assert.Superset(new HashSet<string> { "57600", "cstopb", "crtscts", "ixon", "ixoff" }, settings);
        await stop.CancelAsync();
        await running.WaitAsync(Eventually.Patience);
    }

    private string Write(string yaml)
    {
        var file = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(file, yaml);
        return file;
    }
}
