using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Modbus;
using AiFactory.Testing;

namespace AiFactory.Edge.Sources.Tests.Modbus;

/// <summary>The Modbus TCP poller against an independent server (pymodbus) on 127.0.0.1.</summary>
[Trait("Category", "Integration")]
public sealed class ModbusPollerTests : SourceHarness
{
    private readonly PymodbusServer _server = new();

    public override void Dispose()
    {
        base.Dispose();
        _server.Dispose();
    }

    [PymodbusFact]
    public async Task Poll_EveryTypeAndFunction_ReadsExactValues()
    {
        _server.Start();
        var poller = Poller(
            new ModbusPoint("f32", 1, ModbusFunction.HoldingRegisters, 0, ModbusValueType.Float32),
            new ModbusPoint("i16", 1, ModbusFunction.HoldingRegisters, 2, ModbusValueType.Int16),
            new ModbusPoint("u32", 1, ModbusFunction.HoldingRegisters, 3, ModbusValueType.UInt32),
            new ModbusPoint("swapped", 1, ModbusFunction.HoldingRegisters, 5, ModbusValueType.UInt16, SwapBytes: true),
            new ModbusPoint("input", 1, ModbusFunction.InputRegisters, 0, Scale: 0.5),
            new ModbusPoint("coil", 1, ModbusFunction.Coils, 0, ModbusValueType.Bit));
        var running = poller.RunAsync(Writer, Stopping);

        var values = new Dictionary<string, double>();
        while (values.Count < 6)
        {
            var s = await NextSample();
            values[s.Tag] = s.Value;
        }

        Assert.Equal(12.5, values["f32"]);
        Assert.Equal(-2, values["i16"]);
        Assert.Equal(0x12345678, values["u32"]);
        Assert.Equal(0x1234, values["swapped"]);
        Assert.Equal(3.5, values["input"]);
        Assert.Equal(1, values["coil"]);
        await StopAsync(running);
    }

    [PymodbusFact]
    public async Task Poll_ExceptionsAndSilentSlaves_AreCountedPerSlaveAndOthersKeepFlowing()
    {
        _server.Start();
        var poller = Poller(
            new ModbusPoint("missing-register", 1, ModbusFunction.HoldingRegisters, 200),
            new ModbusPoint("silent-slave", 9, ModbusFunction.HoldingRegisters, 0),
            new ModbusPoint("good", 1, ModbusFunction.HoldingRegisters, 2, ModbusValueType.Int16));
        var running = poller.RunAsync(Writer, Stopping);

        Assert.Equal("good", (await NextGoodSample()).Tag);
        await WaitFor(() => poller.Slave(9).Timeouts >= 1 && poller.Slave(1).Exceptions >= 1);
        DropPending();
        var failedTags = new HashSet<string>();
        while (failedTags.Count < 2)
        {
            var s = await NextSample();
            if (s.Quality == SampleQuality.Bad)
            {
                failedTags.Add(s.Tag);
            }
        }

        Assert.Equal(["missing-register", "silent-slave"], failedTags.Order());
        Assert.Equal(0, poller.Slave(1).Timeouts);
        Assert.True(poller.Slave(1).Reads >= 1);
        Assert.Equal(0, poller.Slave(9).Reads);
        await StopAsync(running);
    }

    [PymodbusFact]
    public async Task Server_RestartedMidRun_PollerReconnectsAndReadsAgain()
    {
        _server.Start();
        var poller = Poller(new ModbusPoint("i16", 1, ModbusFunction.HoldingRegisters, 2, ModbusValueType.Int16));
        var running = poller.RunAsync(Writer, Stopping);
        await NextSample();

        _server.Stop();
        await WaitFor(() => poller.Status.State != SourceState.Connected);
        _server.Start();
        await WaitFor(() => poller.Status.State == SourceState.Connected && poller.Status.Reconnects >= 1);
        DropPending();

        Assert.Equal(-2, (await NextGoodSample()).Value);
        await StopAsync(running);
    }

    private ModbusPoller Poller(params ModbusPoint[] points) => new(new ModbusBusOptions
    {
        Name = "plc-1",
        Host = "127.0.0.1",
        Port = _server.Port,
        ResponseTimeout = TimeSpan.FromMilliseconds(200),
        InterRequestDelay = TimeSpan.FromMilliseconds(2),
        Retries = 0,
        ReconnectDelay = TimeSpan.FromMilliseconds(200),
        Groups = [new ModbusPollGroup(TimeSpan.FromMilliseconds(100), points)],
    });


}
