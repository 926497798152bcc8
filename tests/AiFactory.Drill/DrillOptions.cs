using System.Globalization;

namespace AiFactory.Drill;

/// <summary>
/// The drill's command line: `aifactory-drill` (the short drill, every scenario once, in lanes side by side: 2 edges,
/// 28 s each, a scenario may run them longer), `aifactory-drill --soak MINUTES` (every scenario in turn, again and
/// again for that long: 3 edges, 60 s each), or `aifactory-drill --only SCENARIO` (one scenario of the short drill).
/// </summary>
internal sealed record DrillOptions(int Edges, double EdgeSeconds, TimeSpan? Soak, string? Only = null)
{
    public static DrillOptions Short { get; } = new(2, 28, null);

    public static DrillOptions Parse(string[] args)
    {
        if (args.Length == 0)
        {
            return Short;
        }

        if (args.Length == 2 && args[0] == "--only" && Scenarios.All.Any(s => s.Name == args[1]))
        {
            return Short with { Only = args[1] };
        }

        if (args.Length == 2 && args[0] == "--soak" && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes is >= 1 and <= 7 * 24 * 60)
        {
            return new DrillOptions(3, 60, TimeSpan.FromMinutes(minutes));
        }

        throw new ArgumentException($"'{string.Join(' ', args)}' is not a drill command line: no arguments (the short drill), --soak MINUTES (1 to 10080) or --only SCENARIO ({string.Join(", ", Scenarios.All.Select(s => s.Name))})");
    }
}
