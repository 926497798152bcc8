using System.Runtime.InteropServices;
using AiFactory.Edge.Sources.Modbus.Native;

namespace AiFactory.Edge.Sources.Modbus;

/// <summary>Opens a libmodbus context for a bus (TCP or RTU), sets its response timeout and connects.</summary>
internal static class ModbusConnection
{
    /// <returns>The connected context, or null with libmodbus's <paramref name="error"/>; <paramref name="created"/> tells whether the context existed (so the failure was the connect).</returns>
    public static ModbusHandle? Open(ModbusBusOptions bus, out string error, out bool created)
    {
        var raw = bus.Host is not null
            ? LibModbus.NewTcp(bus.Host, bus.Port)
            : LibModbus.NewRtu(bus.Device ?? string.Empty, bus.Baud, (byte)bus.Parity, bus.DataBits, bus.StopBits);
        created = raw != IntPtr.Zero;
        if (!created)
        {
            error = LibModbus.Describe(Marshal.GetLastPInvokeError());
            return null;
        }

        var handle = new ModbusHandle(raw);
        var timeout = bus.ResponseTimeout;
        LibModbus.SetResponseTimeout(handle, (uint)timeout.TotalSeconds, (uint)(timeout.Ticks % TimeSpan.TicksPerSecond / 10));
        if (LibModbus.Connect(handle) != 0)
        {
            error = LibModbus.Describe(Marshal.GetLastPInvokeError());
            handle.Dispose();
            return null;
        }

        error = string.Empty;
        return handle;
    }
}
