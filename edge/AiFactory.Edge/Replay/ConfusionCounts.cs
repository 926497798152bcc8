namespace AiFactory.Edge.Replay;

/// <summary>Binary confusion counts with SKAB's scores: F1 = TP / (TP + (FN + FP) / 2), FAR = FP / (FP + TN), MAR = FN / (FN + TP).</summary>
public sealed class ConfusionCounts
{
    public long TruePositives { get; private set; }

    public long FalsePositives { get; private set; }

    public long FalseNegatives { get; private set; }

    public long TrueNegatives { get; private set; }

    public double F1 => Ratio(TruePositives, TruePositives + ((FalseNegatives + FalsePositives) / 2.0));

    public double FalseAlarmRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);

    public double MissedAlarmRate => Ratio(FalseNegatives, FalseNegatives + TruePositives);

    public void Add(bool predicted, bool actual)
    {
        if (predicted && actual)
        {
            TruePositives++;
        }
        else if (predicted)
        {
            FalsePositives++;
        }
        else if (actual)
        {
            FalseNegatives++;
        }
        else
        {
            TrueNegatives++;
        }
    }

    public void Add(ConfusionCounts other)
    {
        TruePositives += other.TruePositives;
        FalsePositives += other.FalsePositives;
        FalseNegatives += other.FalseNegatives;
        TrueNegatives += other.TrueNegatives;
    }

    private static double Ratio(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;
}
