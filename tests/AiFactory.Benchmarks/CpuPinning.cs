using System.Diagnostics;
using System.Globalization;

namespace AiFactory.Benchmarks;

/// <summary>
/// Pins processes (every thread, with <c>taskset -a</c>) to one core, so two sides of a benchmark do not compete for
/// the same core: a thread or process started later inherits its parent's core.
/// </summary>
internal static class CpuPinning
{
    /// <summary>True when the machine has two cores or more to share out.</summary>
    public static bool Possible => Environment.ProcessorCount >= 2 && File.Exists("/usr/bin/taskset");

    public static void Pin(IEnumerable<int> pids, int core)
    {
        foreach (var pid in pids)
        {
            using var taskset = Process.Start(new ProcessStartInfo("/usr/bin/taskset", ["-a", "-p", "-c", core.ToString(CultureInfo.InvariantCulture), pid.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            taskset.WaitForExit();
            // A process that ended meanwhile (a closed page's renderer) is no error.
        }
    }
}
