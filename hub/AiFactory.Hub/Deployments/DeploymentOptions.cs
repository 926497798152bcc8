namespace AiFactory.Hub.Deployments;

/// <summary>
/// <c>Hub:Deployments</c>: the rollback rules a deployment gets where its request names none, and how long an edge's
/// request for its desired state may wait for a change.
/// </summary>
public sealed class DeploymentOptions
{
    public const string Section = "Hub:Deployments";

    /// <summary>Frames a candidate must have scored (over all its stations) before a rule judges it.</summary>
    public long MinFrames { get; set; } = 200;

    /// <summary>Share of frames the candidate may fail to score.</summary>
    public double MaxErrorRate { get; set; } = 0.01;

    /// <summary>Share of frames on which a shadow candidate's verdict may differ from production's.</summary>
    public double MaxDisagreement { get; set; } = 0.2;

    /// <summary>Without an explicit band, the candidate's verdict rate may differ from production's by this much (absolute).</summary>
    public double VerdictRateTolerance { get; set; } = 0.1;

    /// <summary>How long <c>GET /api/v1/edges/{edge}/desired-state</c> holds a request whose state has not changed (below Orleans' 30-s call timeout).</summary>
    public TimeSpan LongPoll { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Every problem, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Rate(string key, double value)
        {
            if (!(value is >= 0 and <= 1))
            {
                problems.Add($"{Section}:{key} must be between 0 and 1 (was {value})");
            }
        }

        Rate(nameof(MaxErrorRate), MaxErrorRate);
        Rate(nameof(MaxDisagreement), MaxDisagreement);
        Rate(nameof(VerdictRateTolerance), VerdictRateTolerance);
        if (MinFrames < 1)
        {
            problems.Add($"{Section}:{nameof(MinFrames)} must be at least 1 (was {MinFrames})");
        }

        if (LongPoll <= TimeSpan.Zero || LongPoll > TimeSpan.FromSeconds(25))
        {
            problems.Add($"{Section}:{nameof(LongPoll)} must be above 0 and at most 00:00:25, below Orleans' 30-s call timeout (was {LongPoll})");
        }

        return problems;
    }
}
