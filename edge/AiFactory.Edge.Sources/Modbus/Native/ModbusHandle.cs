using System.Runtime.InteropServices;

namespace AiFactory.Edge.Sources.Modbus.Native;

/// <summary>A libmodbus context (modbus_t*): closed and freed on release.</summary>
internal sealed class ModbusHandle : SafeHandle
{
    public ModbusHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public ModbusHandle(IntPtr handle)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        LibModbus.Close(handle);
        LibModbus.Free(handle);
        return true;
    }
}
