using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Modbus;
using AiFactory.Testing;

namespace AiFactory.Edge.Sources.Tests.Modbus;

/// <summary>
/// Modbus RTU against an independent slave, Debian's pymodbus, on the other end of a socat pty pair: two slave
/// ids on one bus, an exception response and an absent slave counted per slave, the slave process going away
/// and coming back, and the whole device unplugged and replugged (the poller reopens the port).
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModbusRtuPymodbusTests : SourceHarness
{
    private readonly SocatPtyPair _pty = new();
    private readonly PymodbusRtuSlave _slave;

    public ModbusRtuPymodbusTests()
    {
        _slave = new PymodbusRtuSlave(_pty.InstrumentPath);
    }

    public override void Dispose()
    {
        base.Dispose();
        _slave.Dispose();
        _pty.Dispose();
    }

    [PymodbusRtuFact]
    public async Task TwoSlavesOneBus_ValuesReadExceptionAndAbsentSlaveCountedPerSlave()
    {
        _pty.Start();
        _slave.Start();
        var poller = Poller(
            new ModbusPoint("s1/f32", 1, ModbusFunction.HoldingRegisters, 0, ModbusValueType.Float32),
            new ModbusPoint("s2/i16", 2, ModbusFunction.HoldingRegisters, 0, ModbusValueType.Int16),
            new ModbusPoint("s2/missing", 2, ModbusFunction.HoldingRegisters, 50, ModbusValueType.Int16),
            new ModbusPoint("s3/absent", 3, ModbusFunction.HoldingRegisters, 0, ModbusValueType.Int16));
        var running = poller.RunAsync(Writer, Stopping);

        var values = new Dictionary<string, double>();
        while (values.Count < 2)
        {
            var s = await NextSample();
            values[s.Tag] = s.Value;
        }

        await WaitFor(() => poller.Slave(2).Exceptions >= 1 && poller.Slave(3).Timeouts >= 1);
        await StopAsync(running);
        Assert.Equal(new Dictionary<string, double> { ["s1/f32"] = 12.5, ["s2/i16"] = 4321 }, values);
        Assert.Equal((0, 0, 0), (poller.Slave(1).Timeouts, poller.Slave(1).Exceptions, poller.Slave(1).CrcErrors));
        Assert.Equal((0, 0), (poller.Slave(2).Timeouts, poller.Slave(2).CrcErrors));
        Assert.Equal((0, 0, 0), (poller.Slave(3).Reads, poller.Slave(3).Exceptions, poller.Slave(3).CrcErrors));
        Assert.Equal(poller.Slave(2).Exceptions + poller.Slave(3).Timeouts, poller.Status.DecodeErrors);
    }

    [PymodbusRtuFact]
    public async Task SlaveGoneThenBack_TimeoutsCountedThenReadsResume()
    {
        _pty.Start();
        _slave.Start();
        var poller = Poller(new ModbusPoint("s1/f32", 1, ModbusFunction.HoldingRegisters, 0, ModbusValueType.Float32));
        var running = poller.RunAsync(Writer, Stopping);
        await NextSample();

        _slave.Stop();
        await WaitFor(() => poller.Slave(1).Timeouts >= 2);
        _slave.Start();
        DropPending();
        var reads = poller.Slave(1).Reads;

        Assert.Equal(12.5, (await NextSample()).Value);
        Assert.True(poller.Slave(1).Reads > reads);
        await StopAsync(running);
    }

    [PymodbusRtuFact]
    public async Task DeviceUnpluggedThenReplugged_PollerReopensThePort()
    {
        _pty.Start();
        _slave.Start();
        var poller = Poller(new ModbusPoint("s2/i16", 2, ModbusFunction.HoldingRegisters, 0, ModbusValueType.Int16));
        var running = poller.RunAsync(Writer, Stopping);
        await NextSample();

        _slave.Stop();
        _pty.Stop();
        await WaitFor(() => poller.Status.State != SourceState.Connected);
        _pty.Start();
        _slave.Start();
        await WaitFor(() => poller.Status.State == SourceState.Connected);
        DropPending();

        Assert.Equal(4321, (await NextSample()).Value);
        Assert.Equal(1, poller.Status.Reconnects);
        await StopAsync(running);
    }

    private ModbusPoller Poller(params ModbusPoint[] points) => new(new ModbusBusOptions
    {
        Name = "rs485-1",
        Device = _pty.DevicePath,
        Baud = 19200,
        Parity = 'E',
        ResponseTimeout = TimeSpan.FromMilliseconds(300),
        Retries = 0,
        ReconnectDelay = TimeSpan.FromMilliseconds(200),
        Groups = [new ModbusPollGroup(TimeSpan.FromMilliseconds(100), points)],
    });
}
