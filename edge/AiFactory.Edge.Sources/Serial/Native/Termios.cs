using System.Runtime.InteropServices;

namespace AiFactory.Edge.Sources.Serial.Native;

/// <summary>
/// glibc's struct termios on Linux (bits/termios-struct.h): four tcflag_t, c_line, c_cc[32], then the two
/// speeds, 60 bytes with padding. Only the flags this project sets are named.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct Termios
{
    public uint InputFlags;
    public uint OutputFlags;
    public uint ControlFlags;
    public uint LocalFlags;
    public byte Line;
    public fixed byte ControlChars[32];
    public uint InputSpeed;
    public uint OutputSpeed;

    // bits/termios-c_cflag.h
    public const uint CharacterSize = 0x30;
    public const uint Cs7 = 0x20;
    public const uint Cs8 = 0x30;
    public const uint TwoStopBits = 0x40;
    public const uint EnableReceiver = 0x80;
    public const uint ParityEnable = 0x100;
    public const uint ParityOdd = 0x200;
    public const uint IgnoreModemLines = 0x800;

    /// <summary>The Bxxxx speed constants of bits/termios.h and termios-baud.h.</summary>
    public static uint Speed(int baud) => baud switch
    {
        1200 => 0x9,
        2400 => 0xB,
        4800 => 0xC,
        9600 => 0xD,
        19200 => 0xE,
        38400 => 0xF,
        57600 => 0x1001,
        115200 => 0x1002,
        230400 => 0x1003,
        _ => throw new ArgumentException($"baud rate {baud} is not a standard termios speed (1200 … 230400)"),
    };
}
