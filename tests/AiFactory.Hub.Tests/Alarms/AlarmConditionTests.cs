using AiFactory.Hub.Alarms;

namespace AiFactory.Hub.Tests.Alarms;

/// <summary>The hysteresis and de-duplication of one rule's alarm, step by step on a fixed clock.</summary>
[Trait("Category", "Unit")]
public sealed class AlarmConditionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);

    private static AlarmRule Rule(string kind = "anomaly-rate", double threshold = 0.2, double clear = 0.1, double minutes = 2) =>
        AlarmRuleValidator.Validate("r1", "acme", new AlarmRuleRequest("p1", "l1", "s1", kind, threshold, clear, minutes, true));

    [Fact]
    public void BreachShorterThanTheRuleMinutes_DoesNotRaise()
    {
        var c = new AlarmCondition(Rule(), active: false);

        Assert.Equal(AlarmTransition.None, c.Step(0.5, T0));
        Assert.Equal(AlarmTransition.None, c.Step(0.5, T0.AddSeconds(119)));
        Assert.Equal(AlarmTransition.None, c.Step(0.15, T0.AddSeconds(120)));
        Assert.Equal(AlarmTransition.None, c.Step(0.5, T0.AddSeconds(121)));
        Assert.False(c.Active);
    }

    [Fact]
    public void BreachForTheRuleMinutes_RaisesOnce_ThenFlappingInsideTheBandChangesNothing()
    {
        var c = new AlarmCondition(Rule(), active: false);
        c.Step(0.5, T0);

        Assert.Equal(AlarmTransition.Raise, c.Step(0.5, T0.AddMinutes(2)));
        // Above the threshold again, then five minutes between the clearing threshold (0.1) and the threshold (0.2).
        var steps = new[] { 0.9, 0.15, 0.12, 0.2, 0.11, 0.19, 0.15 }.Select((v, i) => c.Step(v, T0.AddMinutes(3 + i))).ToList();

        Assert.All(steps, s => Assert.Equal(AlarmTransition.None, s));
        Assert.True(c.Active);
    }

    [Fact]
    public void BelowTheClearThresholdForTheRuleMinutes_Clears_AndAGapWithoutFramesDoesNotRestartTheWait()
    {
        var c = new AlarmCondition(Rule(), active: true);

        Assert.Equal(AlarmTransition.None, c.Step(0.05, T0));
        Assert.Equal(AlarmTransition.None, c.Step(null, T0.AddMinutes(1)));
        Assert.Equal(AlarmTransition.Clear, c.Step(0.1, T0.AddMinutes(2)));
        Assert.False(c.Active);
    }

    [Fact]
    public void FirstPassYield_RaisesBelowAndClearsAbove()
    {
        var c = new AlarmCondition(Rule("first-pass-yield", 0.9, 0.95, 0), active: false);

        Assert.Equal(AlarmTransition.None, c.Step(0.9, T0));
        Assert.Equal(AlarmTransition.Raise, c.Step(0.89, T0));
        Assert.Equal(AlarmTransition.None, c.Step(0.94, T0));
        Assert.Equal(AlarmTransition.Clear, c.Step(0.95, T0));
    }
}
