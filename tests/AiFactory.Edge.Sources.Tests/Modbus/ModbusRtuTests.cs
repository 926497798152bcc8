using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Modbus;
using AiFactory.Testing;

namespace AiFactory.Edge.Sources.Tests.Modbus;

/// <summary>
/// Modbus RTU over a socat pty pair, the test playing the slave byte by byte: a reply with a broken CRC is
/// counted as a CRC error for that slave, and a correct reply is decoded.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModbusRtuTests : SourceHarness
{
    private readonly SocatPtyPair _pty = new();

    public override void Dispose()
    {
        base.Dispose();
        _pty.Dispose();
    }

    [SocatFact]
    public async Task Rtu_BadCrcThenGoodReply_CountsTheCrcErrorAndDecodesTheValue()
    {
        _pty.Start();
        var poller = new ModbusPoller(new ModbusBusOptions
        {
            Name = "rs485-1",
            Device = _pty.DevicePath,
            Baud = 19200,
            Parity = 'E',
            ResponseTimeout = TimeSpan.FromSeconds(2),
            Retries = 0,
            Groups = [new ModbusPollGroup(TimeSpan.FromMilliseconds(50), [new ModbusPoint("temp", 7, ModbusFunction.HoldingRegisters, 0x10, ModbusValueType.Int16, Scale: 0.1)])],
        });
        await using var slave = new FileStream(_pty.InstrumentPath, FileMode.Open, FileAccess.ReadWrite);
        var running = poller.RunAsync(Writer, Stopping);

        // Request: slave 7, function 3, address 0x0010, count 1, CRC.
        var request = await ReadExactly(slave, 8);
        Assert.Equal(new byte[] { 7, 3, 0x00, 0x10, 0x00, 0x01 }, request[..6]);
        Assert.Equal(Crc(request.AsSpan(0, 6)), request[6] | (request[7] << 8));
        byte[] reply = [7, 3, 2, 0x00, 0xEB];
        await Send(slave, reply, corruptCrc: true);
        await WaitFor(() => poller.Slave(7).CrcErrors == 1);

        await ReadExactly(slave, 8);
        await Send(slave, reply, corruptCrc: false);

        var failed = await NextSample();
        Assert.Equal(("temp", SampleQuality.Bad), (failed.Tag, failed.Quality));
        var sample = await NextGoodSample();
        Assert.Equal("temp", sample.Tag);
        Assert.Equal(23.5, sample.Value, 12);
        Assert.Equal(1, poller.Slave(7).CrcErrors);
        await StopAsync(running);
    }

    private static async Task<byte[]> ReadExactly(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(Eventually.Patience);
        return buffer;
    }

    private static async Task Send(Stream stream, byte[] pdu, bool corruptCrc)
    {
        var crc = Crc(pdu) ^ (corruptCrc ? 0xFFFF : 0);
        await stream.WriteAsync((byte[])[.. pdu, (byte)(crc & 0xFF), (byte)(crc >> 8)]);
        await stream.FlushAsync();
    }

    /// <summary>CRC-16/MODBUS: reflected polynomial 0xA001, initial 0xFFFF, sent low byte first.</summary>
    private static int Crc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
            }
        }

        return crc;
    }
}
