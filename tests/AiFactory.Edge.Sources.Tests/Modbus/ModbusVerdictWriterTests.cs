using AiFactory.Edge.Sources.Modbus;
using AiFactory.Testing;

namespace AiFactory.Edge.Sources.Tests.Modbus;

/// <summary>The verdict writer against the pymodbus server, read back through the poller.</summary>
[Trait("Category", "Integration")]
public sealed class ModbusVerdictWriterTests : SourceHarness
{
    private readonly PymodbusServer _server = new();

    public override void Dispose()
    {
        base.Dispose();
        _server.Dispose();
    }

    [PymodbusFact]
    public async Task Write_VerdictChanges_LandInRegisterAndCoilOnlyOnChange()
    {
        _server.Start();
        var bus = new ModbusBusOptions { Name = "plc-out", Host = "127.0.0.1", Port = _server.Port, ResponseTimeout = TimeSpan.FromMilliseconds(300) };
        using var writer = new ModbusVerdictWriter(bus, 1, new Dictionary<string, int> { ["plate-1"] = 50 }, new Dictionary<string, int> { ["pump-1"] = 20 });

        Assert.True(writer.Write("plate-1", 5));
        Assert.True(writer.Write("plate-1", 5));
        Assert.True(writer.Write("pump-1", 1));
        Assert.True(writer.Write("unconfigured", 1));

        Assert.Equal(2, writer.Writes);
        var poller = new ModbusPoller(new ModbusBusOptions
        {
            Name = "plc-in",
            Host = "127.0.0.1",
            Port = _server.Port,
            Groups = [new ModbusPollGroup(TimeSpan.FromMilliseconds(100), [new ModbusPoint("class", 1, ModbusFunction.HoldingRegisters, 50), new ModbusPoint("alarm", 1, ModbusFunction.Coils, 20, ModbusValueType.Bit)])],
        });
        var running = poller.RunAsync(Writer, Stopping);
        var values = new Dictionary<string, double>();
        while (values.Count < 2)
        {
            var s = await NextSample();
            values[s.Tag] = s.Value;
        }

        Assert.Equal(5, values["class"]);
        Assert.Equal(1, values["alarm"]);
        await StopAsync(running);
    }

    [PymodbusFact]
    public void Write_IllegalAddress_IsRefusedCountedAndNamed()
    {
        _server.Start();
        var bus = new ModbusBusOptions { Name = "plc-out", Host = "127.0.0.1", Port = _server.Port, ResponseTimeout = TimeSpan.FromMilliseconds(300) };
        using var writer = new ModbusVerdictWriter(bus, 1, new Dictionary<string, int> { ["plate-1"] = 5000 }, new Dictionary<string, int>());

        Assert.False(writer.Write("plate-1", 3));

        Assert.Equal(1, writer.Failures);
        Assert.Equal("writing station 'plate-1' verdict 3 to slave 1: Illegal data address", writer.Status.LastError);
    }
}
