using System.Diagnostics;

namespace AiFactory.Testing;

/// <summary>
/// peers/modbus_server.py --rtu (Debian's python3-pymodbus) as an independent Modbus RTU slave with ids 1 and 2,
/// on one end of a pty pair at 19200 baud; can be stopped and started again.
/// </summary>
public sealed class PymodbusRtuSlave(string device) : IDisposable
{
    private Process? _process;

    public void Start()
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "AiFactory.Testing", "peers", "modbus_server.py");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        _process = new Process { StartInfo = new ProcessStartInfo("/usr/bin/python3") { ArgumentList = { script, "--rtu", device }, RedirectStandardError = true, RedirectStandardOutput = true } };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready")
            {
                ready.TrySetResult();
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        _process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"modbus_server.py --rtu {device} exited: {errors}"));
        _process.EnableRaisingEvents = true;
        _process.Start();
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        ready.Task.WaitAsync(Eventually.Patience).GetAwaiter().GetResult();
    }

    public void Stop() => ChildProcess.Stop(ref _process);

    public void Dispose() => Stop();
}
