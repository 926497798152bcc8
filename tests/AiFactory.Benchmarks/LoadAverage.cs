using System.Globalization;

namespace AiFactory.Benchmarks;

/// <summary>The machine's 1-minute load average (/proc/loadavg): other engineers build on the same cores.</summary>
internal static class LoadAverage
{
    public static double OneMinute() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
