using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Modbus;
using AiFactory.Testing;

namespace AiFactory.Edge.Sources.Tests.Modbus;

/// <summary>
/// Modbus RTU against an independent slave (Debian's pymodbus) on a socat pty: two slave ids polled in turn on one
/// bus, an exception response and an absent slave counted per slave, and the bus unplugged and plugged back.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PymodbusRtuTests : SourceHarness
{
    private readonly PymodbusRtuSlave _bus = new();

    public override void Dispose()
    {
        base.Dispose();
        _bus.Dispose();
    }

    [PymodbusRtuFact]
    public async Task TwoSlavesOnOneBus_AreReadInTurn_FaultsCountedPerSlave_AndTheBusReturnsAfterUnplug()
    {
        _bus.Start();
        var poller = new ModbusPoller(new ModbusBusOptions
        {
            Name = "rs485-1",
            Device = _bus.DevicePath,
            Baud = 19200,
            Parity = 'N', // pyserial (the slave's side) cannot set parity on a pty
            ResponseTimeout = TimeSpan.FromMilliseconds(300),
            InterRequestDelay = TimeSpan.FromMilliseconds(5),
            Retries = 0,
            ReconnectDelay = TimeSpan.FromMilliseconds(200),
            Groups =
            [
                new ModbusPollGroup(TimeSpan.FromMilliseconds(100),
                [
                    new ModbusPoint("s1/i16", 1, ModbusFunction.HoldingRegisters, 2, ModbusValueType.Int16),
                    new ModbusPoint("s2/level", 2, ModbusFunction.HoldingRegisters, 0, ModbusValueType.UInt16, Scale: 0.5),
                    new ModbusPoint("s2/input", 2, ModbusFunction.InputRegisters, 0, ModbusValueType.UInt16),
                    new ModbusPoint("s1/missing", 1, ModbusFunction.HoldingRegisters, 200),
                    new ModbusPoint("s9/absent", 9, ModbusFunction.HoldingRegisters, 0),
                ]),
            ],
        });
        var running = poller.RunAsync(Writer, Stopping);

        var values = await GoodValuesAsync(3);
        Assert.True(values.Count == 3, $"values: {string.Join(", ", values)}; slave log: {_bus.Log}");
        Assert.Equal(-2, values["s1/i16"]);
        Assert.Equal(21, values["s2/level"]);
        Assert.Equal(4242, values["s2/input"]);
        // From here on (the slave is up): slave 1's bad address answers exceptions, slave 9 never answers, slave 2 is clean.
        var before = (S1Timeouts: poller.Slave(1).Timeouts, S2Faults: Faults(poller.Slave(2)), S1Exceptions: poller.Slave(1).Exceptions, S9Timeouts: poller.Slave(9).Timeouts, S2Reads: poller.Slave(2).Reads);
        await WaitFor(() => poller.Slave(1).Exceptions >= before.S1Exceptions + 2 && poller.Slave(9).Timeouts >= before.S9Timeouts + 2);
        Assert.Equal(before.S1Timeouts, poller.Slave(1).Timeouts);
        Assert.Equal(before.S2Faults, Faults(poller.Slave(2)));
        Assert.True(poller.Slave(2).Reads >= before.S2Reads + 2, "slave 2 is read in turn with the others");
        Assert.Equal(0, poller.Slave(9).Reads);

        _bus.Unplug();
        await WaitFor(() => poller.Status.State != SourceState.Connected);
        var reconnects = poller.Status.Reconnects;
        _bus.Replug();
        await WaitFor(() => poller.Status.State == SourceState.Connected && poller.Status.Reconnects > reconnects);
        DropPending();
        Assert.Equal(42 * 0.5, (await GoodValuesAsync(3))["s2/level"]);
        await StopAsync(running);
    }

    private static long Faults(ModbusSlaveCounters c) => c.Exceptions + c.Timeouts + c.CrcErrors;

    private async Task<Dictionary<string, double>> GoodValuesAsync(int distinct)
    {
        var values = new Dictionary<string, double>();
        var deadline = DateTime.UtcNow + Eventually.Patience;
        while (values.Count < distinct && DateTime.UtcNow < deadline)
        {
            var s = await NextGoodSample();
            values[s.Tag] = s.Value;
        }

        return values;
    }
}
