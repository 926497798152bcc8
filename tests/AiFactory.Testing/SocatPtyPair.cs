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

    /// <summary>
    /// The device side's line settings as <c>stty -a</c> prints them (e.g. "speed", "19200", "cstopb", "-crtscts").
    /// On a pty the kernel keeps cs8 and -parenb whatever is asked: parity and data bits show only on a real port.
    /// </summary>
    public ISet<string> LineSettings()
    {
        using var stty = Process.Start(new ProcessStartInfo("stty")
        {
            ArgumentList = { "-F", DevicePath, "-a" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = stty.StandardOutput.ReadToEnd();
        var error = stty.StandardError.ReadToEnd();
        stty.WaitForExit();
        if (stty.ExitCode != 0)
        {
            throw new InvalidOperationException($"stty -F {DevicePath} -a: {error}");
        }

        return output.Split([' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
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
