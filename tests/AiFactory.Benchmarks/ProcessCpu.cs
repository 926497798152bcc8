using System.Globalization;

namespace AiFactory.Benchmarks;

/// <summary>CPU seconds (user + system) spent so far by processes, read from /proc/&lt;pid&gt;/stat.</summary>
internal static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The processes whose command line contains <paramref name="needle"/>.</summary>
    public static List<int> Find(string needle) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1)
            .Where(pid => pid > 0 && CommandLine(pid).Contains(needle, StringComparison.Ordinal))
            .ToList();

    /// <summary>CPU seconds per process now.</summary>
    public static Dictionary<int, double> Snapshot(IEnumerable<int> pids) => pids.ToDictionary(p => p, Seconds);

    /// <summary>CPU seconds spent since <paramref name="before"/> by <paramref name="pids"/>; processes started since count whole.</summary>
    public static double Since(Dictionary<int, double> before, IEnumerable<int> pids) =>
        pids.Sum(p => Seconds(p) - before.GetValueOrDefault(p));

    public static double Seconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
