using AiFactory.Hub.Hosting;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// Wire names of <see cref="MetricFamily"/>, and the range a company's value is clipped to before differential-privacy
/// noise (its contribution is bounded to one value in that range).
/// </summary>
public static class MetricFamilies
{
    private static readonly (MetricFamily Family, string Name, double Low, double High)[] All =
    [
        (MetricFamily.FirstPassYield, "first-pass-yield", 0, 1),
        (MetricFamily.DefectRate, "defect-rate", 0, 1),
        (MetricFamily.AnomalyRate, "anomaly-rate", 0, 1),
        (MetricFamily.Throughput, "throughput", 0, 36_000),
        (MetricFamily.ModelLatency, "model-latency", 0, 1_000),
        (MetricFamily.Drift, "drift", 0, 1),
    ];

    public static string List => string.Join(", ", All.Select(a => a.Name));

    public static IEnumerable<MetricFamily> Families => All.Select(a => a.Family);

    public static string Name(MetricFamily family) => All.First(a => a.Family == family).Name;

    public static (double Low, double High) Range(MetricFamily family)
    {
        var a = All.First(x => x.Family == family);
        return (a.Low, a.High);
    }

    /// <summary>The family named <paramref name="name"/>, or a 400 that names <paramref name="field"/> and the valid names.</summary>
    public static MetricFamily Parse(string field, string? name)
    {
        foreach (var a in All)
        {
            if (string.Equals(a.Name, name, StringComparison.Ordinal))
            {
                return a.Family;
            }
        }

        throw HubProblemException.BadRequest($"{field} '{name}' is not a metric family; use one of {List}.");
    }
}
