using AiFactory.Contracts;
using AiFactory.Hub.Deployments;
using static AiFactory.Hub.Tests.Support.ModelReports;

namespace AiFactory.Hub.Tests.Models;

/// <summary>Each rollback rule on its own, with the figures its reason names; nothing is judged before the minimum of frames.</summary>
[Trait("Category", "Unit")]
public sealed class RuleJudgeTests
{
    private const string Candidate = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

    [Fact]
    public void Judge_FewerFramesThanTheMinimum_JudgesNothing() =>
        Assert.Null(RuleJudge.Judge(Shadow(), [Reported(Run(null, "1", 150, 0), Run(Candidate, "2", 150, 150, errors: 40), 150, 0)]));

    [Fact]
    public void Judge_ErrorRateAboveTheLimit_NamesTheCounts() =>
        Assert.Equal(
            "rule error rate: 5 of 300 frames failed to score (1.67 %), above 1.00 %",
            RuleJudge.Judge(Shadow(), [Reported(Run(null, "1", 295, 10), Run(Candidate, "2", 295, 10, errors: 5), 295, 295)]));

    [Fact]
    public void Judge_LatencyP99AboveTheCardsLimit_NamesTheLimit() =>
        Assert.Equal(
            "rule latency: p99 40 ms over 300 frames, above the card's limit of 20 ms",
            RuleJudge.Judge(Shadow() with { Rules = Shadow().Rules with { MaxLatencyP99Ms = 20 } }, [Reported(Run(null, "1", 300, 10), Run(Candidate, "2", 300, 10, latencyMs: 40), 300, 300)]));

    [Fact]
    public void Judge_DisagreementAboveTheLimit_NamesTheFrames() =>
        Assert.Equal(
            "rule disagreement: the candidate's verdict differed from production's on 90 of 300 frames (30.00 %), above 20.00 %",
            RuleJudge.Judge(Shadow(), [Reported(Run(null, "1", 300, 10), Run(Candidate, "2", 300, 10), 300, 210)]));

    [Fact]
    public void Judge_WithinEveryRule_KeepsTheDeployment() =>
        Assert.Null(RuleJudge.Judge(Shadow(), [Reported(Run(null, "1", 300, 15), Run(Candidate, "2", 300, 30), 300, 285)]));

    private static Deployment Shadow() => new(
        "d1", "pump-anomaly", Candidate, "2", Deployment.Shadow, 1, ["p1"], ["p1/l1/s1"], new RollbackRules(200, 0.01, null, 0.2, null, null, 0.1),
        Deployment.Active, null, DateTimeOffset.UnixEpoch, "test", null);

    private static ReportedStation Reported(ModelRunStats production, ModelRunStats shadow, long compared, long agreed) =>
        new("e1", "p1/l1/s1", DateTimeOffset.UnixEpoch, Station("l1", "s1", "pump-anomaly", production, shadow, compared, agreed));
}
