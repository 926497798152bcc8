using System.Diagnostics;

namespace AiFactory.Testing;

/// <summary>Stops a peer process a fixture started (kill, wait, dispose), leaving the field null.</summary>
public static class ChildProcess
{
    public static void Stop(ref Process? process)
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit();
        }

        process?.Dispose();
        process = null;
    }
}
