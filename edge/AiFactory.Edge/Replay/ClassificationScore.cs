namespace AiFactory.Edge.Replay;

/// <summary>Accuracy and macro-F1 (the unweighted mean of per-class F1, over classes that occur in truth or prediction) of predicted class indices.</summary>
public static class ClassificationScore
{
    public static (double Accuracy, double MacroF1) Of(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int classes)
    {
        if (truth.Count == 0)
        {
            return (0, 0);
        }

        var tp = new long[classes];
        var fp = new long[classes];
        var fn = new long[classes];
        long correct = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            if (truth[i] == predicted[i])
            {
                correct++;
                tp[truth[i]]++;
            }
            else
            {
                fn[truth[i]]++;
                if (predicted[i] >= 0)
                {
                    fp[predicted[i]]++;
                }
            }
        }

        double f1Sum = 0;
        var present = 0;
        for (var c = 0; c < classes; c++)
        {
            if (tp[c] + fp[c] + fn[c] == 0)
            {
                continue;
            }

            present++;
            f1Sum += 2.0 * tp[c] / ((2.0 * tp[c]) + fp[c] + fn[c]);
        }

        return ((double)correct / truth.Count, present == 0 ? 0 : f1Sum / present);
    }
}
