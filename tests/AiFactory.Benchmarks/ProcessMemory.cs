using System.Globalization;

namespace AiFactory.Benchmarks;

/// <summary>Resident memory of processes, from /proc/&lt;pid&gt;/status (VmRSS).</summary>
internal static class ProcessMemory
{
    public static double ResidentMiB(IEnumerable<int> pids) => pids.Sum(ResidentKiB) / 1024.0;

    private static long ResidentKiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
