using System.Diagnostics;

namespace AiFactory.Testing;

/// <summary>
/// Two linked pseudo-terminals made by socat: the device under test opens <see cref="DevicePath"/>, the test
/// writes what the instrument would send into <see cref="InstrumentPath"/>. Stop and Start again on the same
/// link names to unplug and replug the "device".
/// </summary>
public sealed class SocatPtyPair : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("aifactory-pty-").FullName;
    private Process? _process;

    public string DevicePath => Path.Combine(_folder, "device");

    public string InstrumentPath => Path.Combine(_folder, "instrument");

    public static string? Missing => File.Exists("/usr/bin/socat") ? null : "socat is not installed (the test command installs it: bash deploy/test.sh)";

    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo("/usr/bin/socat")
        {
            ArgumentList = { $"pty,raw,echo=0,link={DevicePath}", $"pty,raw,echo=0,link={InstrumentPath}" },
            RedirectStandardError = true,
        })!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!File.Exists(DevicePath) || !File.Exists(InstrumentPath))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new InvalidOperationException("socat did not create the pty pair");
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>Writes raw text as the instrument would send it.</summary>
    public void Send(string text)
    {
        using var stream = new FileStream(InstrumentPath, FileMode.Open, FileAccess.Write);
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        stream.Write(bytes);
        stream.Flush();
    }

    public void Stop()
    {
        ChildProcess.Stop(ref _process);
        // A killed socat leaves its links behind, pointing at ptys that no longer exist: unplugged for real.
        File.Delete(DevicePath);
        File.Delete(InstrumentPath);
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(_folder, recursive: true);
    }
}
