using System.Reflection;
using System.Runtime.InteropServices;

namespace AiFactory.Edge.Sources.Modbus.Native;

/// <summary>
/// Where libmodbus is on this platform, and whether it is there at all: <c>validate</c> names a missing library for each
/// Modbus bus instead of the bus failing when it first connects.
/// </summary>
public static class LibModbusLocator
{
    /// <summary>The names libmodbus goes by: Debian's libmodbus5, a Windows build (MSVC modbus.dll, MinGW libmodbus-5.dll), Homebrew.</summary>
    public static IReadOnlyList<string> Names { get; } =
        OperatingSystem.IsWindows() ? ["modbus.dll", "libmodbus-5.dll"]
        : OperatingSystem.IsMacOS() ? ["libmodbus.5.dylib"]
        : [LibModbus.Library];

    /// <summary>null when one of <paramref name="names"/> loads; otherwise what is missing, with how to install it.</summary>
    public static string? Missing(IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, typeof(LibModbusLocator).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out var handle))
            {
                NativeLibrary.Free(handle);
                return null;
            }
        }

        return $"Modbus needs libmodbus and it is not installed here (looked for {string.Join(", ", names)})";
    }

    /// <summary>How to install it, for the hint beside <see cref="Missing"/>'s message.</summary>
    public static string InstallHint =>
        OperatingSystem.IsWindows() ? "put a libmodbus 3.1 build (modbus.dll) beside aifactory-edge.exe" : "Debian/Ubuntu: apt install libmodbus5";

    /// <summary>Resolves the declarations' library name to this platform's file (the first of <see cref="Names"/> that loads).</summary>
    internal static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibModbus.Library)
        {
            return IntPtr.Zero;
        }

        foreach (var name in Names)
        {
            if (NativeLibrary.TryLoad(name, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }
}
