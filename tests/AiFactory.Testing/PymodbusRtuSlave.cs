using System.Diagnostics;
using System.Text;

namespace AiFactory.Testing;

/// <summary>
/// peers/modbus_server.py --rtu: Debian's pymodbus as an independent RTU slave (ids 1 and 2) on the instrument end of
/// a socat pty pair; the poller under test opens <see cref="DevicePath"/>. <see cref="Unplug"/> and
/// <see cref="Replug"/> take the whole bus away and bring it back on the same path.
/// </summary>
public sealed class PymodbusRtuSlave : IDisposable
{
    private readonly SocatPtyPair _pty = new();
    private readonly StringBuilder _log = new();
    private Process? _process;

    public static string? Missing => SocatPtyPair.Missing ?? PymodbusServer.Missing;

    public string DevicePath => _pty.DevicePath;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public void Start()
    {
        _pty.Start();
        var script = Path.Combine(RepoPaths.Root, "tests", "AiFactory.Testing", "peers", "modbus_server.py");
        _process = Process.Start(new ProcessStartInfo("/usr/bin/python3") { ArgumentList = { script, "--rtu", _pty.InstrumentPath }, RedirectStandardError = true, RedirectStandardOutput = true })!;
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public void Unplug()
    {
        ChildProcess.Stop(ref _process);
        _pty.Stop();
    }

    public void Replug() => Start();

    public void Dispose()
    {
        ChildProcess.Stop(ref _process);
        _pty.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
