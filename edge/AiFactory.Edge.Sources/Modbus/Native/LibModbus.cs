using System.Runtime.InteropServices;

namespace AiFactory.Edge.Sources.Modbus.Native;

/// <summary>The parts of libmodbus (Debian libmodbus5) this project calls, declared from modbus/modbus.h. errno is captured on every call.</summary>
internal static unsafe partial class LibModbus
{
    /// <summary>The name the declarations use; <see cref="LibModbusLocator"/> maps it to the platform's file.</summary>
    public const string Library = "libmodbus.so.5";

    /// <summary>MODBUS_ENOBASE: errno values above it are Modbus exception codes and protocol errors.</summary>
    public const int ErrorBase = 112345678;

    /// <summary>EMBXGTAR + 1 (the last exception code is 0x0B).</summary>
    public const int BadCrc = ErrorBase + 0x0B + 1;

    public const int TimedOut = 110;

    static LibModbus() => NativeLibrary.SetDllImportResolver(typeof(LibModbus).Assembly, LibModbusLocator.Resolve);

    [LibraryImport(Library, EntryPoint = "modbus_new_tcp", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial IntPtr NewTcp(string ip, int port);

    [LibraryImport(Library, EntryPoint = "modbus_new_rtu", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial IntPtr NewRtu(string device, int baud, byte parity, int dataBits, int stopBits);

    [LibraryImport(Library, EntryPoint = "modbus_set_slave", SetLastError = true)]
    public static partial int SetSlave(ModbusHandle ctx, int slave);

    [LibraryImport(Library, EntryPoint = "modbus_set_response_timeout", SetLastError = true)]
    public static partial int SetResponseTimeout(ModbusHandle ctx, uint seconds, uint microseconds);

    [LibraryImport(Library, EntryPoint = "modbus_connect", SetLastError = true)]
    public static partial int Connect(ModbusHandle ctx);

    [LibraryImport(Library, EntryPoint = "modbus_close")]
    public static partial void Close(IntPtr ctx);

    [LibraryImport(Library, EntryPoint = "modbus_free")]
    public static partial void Free(IntPtr ctx);

    [LibraryImport(Library, EntryPoint = "modbus_read_registers", SetLastError = true)]
    public static partial int ReadRegisters(ModbusHandle ctx, int address, int count, ushort* destination);

    [LibraryImport(Library, EntryPoint = "modbus_read_input_registers", SetLastError = true)]
    public static partial int ReadInputRegisters(ModbusHandle ctx, int address, int count, ushort* destination);

    [LibraryImport(Library, EntryPoint = "modbus_read_bits", SetLastError = true)]
    public static partial int ReadBits(ModbusHandle ctx, int address, int count, byte* destination);

    [LibraryImport(Library, EntryPoint = "modbus_read_input_bits", SetLastError = true)]
    public static partial int ReadInputBits(ModbusHandle ctx, int address, int count, byte* destination);

    [LibraryImport(Library, EntryPoint = "modbus_write_register", SetLastError = true)]
    public static partial int WriteRegister(ModbusHandle ctx, int address, ushort value);

    [LibraryImport(Library, EntryPoint = "modbus_write_bit", SetLastError = true)]
    public static partial int WriteBit(ModbusHandle ctx, int address, int status);

    [LibraryImport(Library, EntryPoint = "modbus_strerror")]
    public static partial IntPtr StrError(int error);

    public static string Describe(int error) => Marshal.PtrToStringUTF8(StrError(error)) ?? $"errno {error}";
}
