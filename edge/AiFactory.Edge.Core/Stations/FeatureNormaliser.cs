using AiFactory.Edge.Core.Models;

namespace AiFactory.Edge.Core.Stations;

/// <summary>value_normalised = (value − mean) / std per feature; per asset from calibration samples, fixed from the card, or identity.</summary>
public sealed class FeatureNormaliser
{
    private readonly double[] _mean;
    private readonly double[] _std;

    private FeatureNormaliser(double[] mean, double[] std)
    {
        _mean = mean;
        _std = std;
    }

    public IReadOnlyList<double> Mean => _mean;

    public IReadOnlyList<double> Std => _std;

    public static FeatureNormaliser Identity(int features) => new(new double[features], Enumerable.Repeat(1.0, features).ToArray());

    public static FeatureNormaliser Fixed(CardNormalisation card) => new([.. card.Mean], [.. card.Std]);

    /// <summary>Mean and population std (ddof = 0) over the finite values of each feature; std below <paramref name="stdFloor"/> becomes the floor.</summary>
    public static FeatureNormaliser FromCalibration(IReadOnlyList<double[]> samples, int features, double stdFloor)
    {
        var mean = new double[features];
        var std = new double[features];
        for (var f = 0; f < features; f++)
        {
            double sum = 0;
            var n = 0;
            foreach (var s in samples)
            {
                if (double.IsFinite(s[f]))
                {
                    sum += s[f];
                    n++;
                }
            }

            mean[f] = n > 0 ? sum / n : 0;
            double squares = 0;
            foreach (var s in samples)
            {
                if (double.IsFinite(s[f]))
                {
                    var d = s[f] - mean[f];
                    squares += d * d;
                }
            }

            var sd = n > 0 ? Math.Sqrt(squares / n) : 0;
            std[f] = sd < stdFloor ? stdFloor : sd;
        }

        return new FeatureNormaliser(mean, std);
    }

    public static FeatureNormaliser ForCard(ModelCard card) => card.Normalisation.Kind switch
    {
        "fixed" => Fixed(card.Normalisation),
        _ => Identity(card.Input.Features.Count),
    };

    /// <summary>Normalises <paramref name="sample"/> into <paramref name="target"/> as float32 (the graph's type).</summary>
    public void Apply(ReadOnlySpan<double> sample, Span<float> target)
    {
        for (var f = 0; f < _mean.Length; f++)
        {
            target[f] = (float)((sample[f] - _mean[f]) / _std[f]);
        }
    }
}
