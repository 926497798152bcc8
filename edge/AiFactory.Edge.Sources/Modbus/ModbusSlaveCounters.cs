namespace AiFactory.Edge.Sources.Modbus;

/// <summary>What one slave answered: reads, exception responses, timeouts, CRC errors, other failures.</summary>
public sealed class ModbusSlaveCounters
{
    private long _reads;
    private long _exceptions;
    private long _timeouts;
    private long _crcErrors;
    private long _otherErrors;

    public long Reads => Interlocked.Read(ref _reads);

    public long Exceptions => Interlocked.Read(ref _exceptions);

    public long Timeouts => Interlocked.Read(ref _timeouts);

    public long CrcErrors => Interlocked.Read(ref _crcErrors);

    public long OtherErrors => Interlocked.Read(ref _otherErrors);

    internal void Read() => Interlocked.Increment(ref _reads);

    internal void Failed(int errno)
    {
        if (errno == Native.LibModbus.TimedOut)
        {
            Interlocked.Increment(ref _timeouts);
        }
        else if (errno == Native.LibModbus.BadCrc)
        {
            Interlocked.Increment(ref _crcErrors);
        }
        else if (errno > Native.LibModbus.ErrorBase && errno < Native.LibModbus.BadCrc)
        {
            Interlocked.Increment(ref _exceptions);
        }
        else
        {
            Interlocked.Increment(ref _otherErrors);
        }
    }
}
