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

    /// <summary>
    /// The processes whose command line contains <paramref name="needle"/> (a server's own data or config folder) and
    /// all their descendants (PostgreSQL backends, nginx workers), so that other servers of the same program running on
    /// the machine are not counted.
    /// </summary>
    public static List<int> FindTree(string needle) => Descendants(Find(needle));

    /// <summary><paramref name="roots"/> and every process below them.</summary>
    public static List<int> Descendants(IEnumerable<int> roots)
    {
        var children = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1)
            .Where(pid => pid > 0)
            .Select(pid => (Pid: pid, Parent: Parent(pid)))
            .ToLookup(p => p.Parent, p => p.Pid);
        var found = new List<int>(roots);
        for (var i = 0; i < found.Count; i++)
        {
            found.AddRange(children[found[i]]);
        }

        return found;
    }

    /// <summary>CPU seconds per process now.</summary>
    public static Dictionary<int, double> Snapshot(IEnumerable<int> pids) => pids.ToDictionary(p => p, Seconds);

    /// <summary>CPU seconds spent since <paramref name="before"/> by <paramref name="pids"/>; processes started since count whole.</summary>
    public static double Since(Dictionary<int, double> before, IEnumerable<int> pids) =>
        pids.Sum(p => Seconds(p) - before.GetValueOrDefault(p));

    /// <summary>CPU time the process has used so far.</summary>
    public static TimeSpan Of(int pid) => TimeSpan.FromSeconds(Seconds(pid));

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

    private static int Parent(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
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
