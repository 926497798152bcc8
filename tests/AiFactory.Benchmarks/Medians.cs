namespace AiFactory.Benchmarks;

/// <summary>The median of a benchmark's figures: the middle one, or the mean of the two middle ones for an even count.</summary>
internal static class Medians
{
    public static double Of(IEnumerable<double> values, int digits = 2)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return Math.Round(sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2, digits);
    }
}
