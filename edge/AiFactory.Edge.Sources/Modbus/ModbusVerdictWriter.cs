using System.Runtime.InteropServices;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Modbus.Native;

namespace AiFactory.Edge.Sources.Modbus;

/// <summary>
/// Hands verdicts to a PLC over Modbus: per station a holding register (the verdict code) or a coil (1 while
/// anomalous or defective). Writes only when a station's verdict changes, so a PLC scan sees edges, not noise.
/// Not thread-safe: call from the thread that produces the verdicts.
/// </summary>
public sealed class ModbusVerdictWriter(ModbusBusOptions bus, int slave, IReadOnlyDictionary<string, int> registers, IReadOnlyDictionary<string, int> coils) : IDisposable
{
    private readonly Dictionary<string, int> _last = new(StringComparer.Ordinal);
    private ModbusHandle? _handle;
    private long _writes;
    private long _failures;

    public SourceStatus Status { get; } = new();

    public long Writes => _writes;

    public long Failures => _failures;

    /// <summary>Writes the station's verdict code if it changed; false (and counted) when the PLC did not take it.</summary>
    public bool Write(string station, int verdict)
    {
        var hasRegister = registers.TryGetValue(station, out var register);
        var hasCoil = coils.TryGetValue(station, out var coil);
        if ((!hasRegister && !hasCoil) || (_last.TryGetValue(station, out var last) && last == verdict))
        {
            return true;
        }

        _handle ??= Open();
        if (_handle is null)
        {
            _failures++;
            return false;
        }

        LibModbus.SetSlave(_handle, slave);
        var ok = (!hasRegister || LibModbus.WriteRegister(_handle, register, (ushort)verdict) == 1)
              && (!hasCoil || LibModbus.WriteBit(_handle, coil, verdict != 0 ? 1 : 0) == 1);
        if (!ok)
        {
            var error = LibModbus.Describe(Marshal.GetLastPInvokeError());
            Status.CountDecodeError($"writing station '{station}' verdict {verdict} to slave {slave}: {error}");
            _failures++;
            _handle.Dispose();
            _handle = null;
            return false;
        }

        _last[station] = verdict;
        _writes++;
        return true;
    }

    public void Dispose() => _handle?.Dispose();

    private ModbusHandle? Open()
    {
        var handle = ModbusConnection.Open(bus, out var error, out var created);
        if (handle is null)
        {
            Status.SetState(SourceState.Disconnected, created ? $"Modbus output '{bus.Name}': cannot connect: {error}" : $"Modbus output '{bus.Name}': {error}");
            return null;
        }

        Status.SetState(SourceState.Connected);
        return handle;
    }
}
