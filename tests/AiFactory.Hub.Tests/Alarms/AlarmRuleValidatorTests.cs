using AiFactory.Hub.Alarms;
using AiFactory.Hub.Hosting;

namespace AiFactory.Hub.Tests.Alarms;

/// <summary>Every bad value of an alarm rule is refused with a 400 that names the field and the problem.</summary>
[Trait("Category", "Unit")]
public sealed class AlarmRuleValidatorTests
{
    private static readonly AlarmRuleRequest Good = new("p1", "l1", "s1", "anomaly-rate", 0.2, 0.1, 5, true);

    [Fact]
    public void GoodRequest_BecomesTheRule()
    {
        var rule = AlarmRuleValidator.Validate("r1", "acme", Good);

        Assert.Equal(new AlarmRule("r1", "acme", "p1", "l1", "s1", AlarmKind.AnomalyRate, 0.2, 0.1, 5, true), rule);
    }

    [Fact]
    public void DriftRule_TakesAFractionalPsiAboveOne()
    {
        var rule = AlarmRuleValidator.Validate("r1", "acme", Good with { Kind = "drift", Threshold = 1.5, ClearThreshold = 0.25 });

        Assert.Equal((AlarmKind.Drift, 1.5, 0.25), (rule.Kind, rule.Threshold, rule.ClearThreshold));
    }

    [Fact]
    public void OmittedClearThresholdAndMinutes_TakeTheThresholdAndTheDefault()
    {
        var rule = AlarmRuleValidator.Validate("r1", "acme", Good with { Station = null, ClearThreshold = null, ForMinutes = null, Enabled = null });

        Assert.Equal((null, 0.2, AlarmRuleValidator.DefaultForMinutes, true), (rule.StationId, rule.ClearThreshold, rule.ForMinutes, rule.Enabled));
    }

    [Theory]
    [InlineData("kind", "alarm rule field 'kind' 'temperature' is not an alarm kind: expected one of: anomaly-rate, first-pass-yield, edge-offline, outbox-backlog, data-quality, drift.")]
    [InlineData("threshold", "alarm rule field 'threshold' 1.5 is out of range for a anomaly-rate rule: expected a fraction from 0 to 1.")]
    [InlineData("missing threshold", "alarm rule field 'threshold' is missing: expected a fraction from 0 to 1.")]
    [InlineData("nan threshold", "alarm rule field 'threshold' NaN is out of range for a anomaly-rate rule: expected a fraction from 0 to 1.")]
    [InlineData("fractional backlog", "alarm rule field 'threshold' 10.5 is out of range for a outbox-backlog rule: expected a whole number from 0.")]
    [InlineData("negative drift", "alarm rule field 'threshold' -0.1 is out of range for a drift rule: expected a number from 0 (a PSI; 0.25 is the usual alarm level).")]
    [InlineData("clearThreshold", "alarm rule field 'clearThreshold' 0.3 is on the alarm's side of the threshold 0.2: expected a anomaly-rate alarm clears at or below its threshold.")]
    [InlineData("yield clear", "alarm rule field 'clearThreshold' 0.8 is on the alarm's side of the threshold 0.9: expected a first-pass-yield alarm clears at or above its threshold.")]
    [InlineData("forMinutes", "alarm rule field 'forMinutes' -1 is out of range: expected minutes from 0 to 1440.")]
    [InlineData("plant", "alarm rule field 'plant' 'Plant 1' is not a valid id: use 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit ([a-z0-9][a-z0-9._-]{0,63}).")]
    [InlineData("line", "alarm rule field 'line' is missing; an id is required ([a-z0-9][a-z0-9._-]{0,63}).")]
    public void BadValue_IsRefusedNamingTheField(string bad, string detail)
    {
        var body = bad switch
        {
            "kind" => Good with { Kind = "temperature" },
            "threshold" => Good with { Threshold = 1.5 },
            "missing threshold" => Good with { Threshold = null },
            "nan threshold" => Good with { Threshold = double.NaN },
            "fractional backlog" => Good with { Kind = "outbox-backlog", Threshold = 10.5, ClearThreshold = null },
            "negative drift" => Good with { Kind = "drift", Threshold = -0.1, ClearThreshold = null },
            "clearThreshold" => Good with { ClearThreshold = 0.3 },
            "yield clear" => Good with { Kind = "first-pass-yield", Threshold = 0.9, ClearThreshold = 0.8 },
            "forMinutes" => Good with { ForMinutes = -1 },
            "plant" => Good with { Plant = "Plant 1" },
            _ => Good with { Line = null },
        };

        var refused = Assert.Throws<HubProblemException>(() => AlarmRuleValidator.Validate("r1", "acme", body));

        Assert.Equal((400, detail), (refused.Status, refused.Message));
    }
}
