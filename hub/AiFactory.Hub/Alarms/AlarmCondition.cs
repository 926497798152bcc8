namespace AiFactory.Hub.Alarms;

/// <summary>
/// One rule's alarm state between evaluations: it raises only after the value stayed on the bad side of the threshold
/// for the rule's minutes, and clears only after it stayed on the good side of the clearing threshold as long. One
/// alarm per rule is open at a time, so a value that flaps around the threshold raises once, not once per flap.
/// A missing value (no frames yet in the minute) proves neither side: the wait goes on where it was.
/// </summary>
public sealed class AlarmCondition(AlarmRule rule, bool active)
{
    private DateTimeOffset? _since;

    public bool Active { get; private set; } = active;

    public AlarmRule Rule { get; } = rule;

    public AlarmTransition Step(double? value, DateTimeOffset now)
    {
        if (value is not { } v)
        {
            return AlarmTransition.None;
        }

        var below = AlarmKinds.BadBelow(Rule.Kind);
        var moving = Active ? (below ? v >= Rule.ClearThreshold : v <= Rule.ClearThreshold) : (below ? v < Rule.Threshold : v > Rule.Threshold);
        if (!moving)
        {
            _since = null;
            return AlarmTransition.None;
        }

        _since ??= now;
        if (now - _since.Value < TimeSpan.FromMinutes(Rule.ForMinutes))
        {
            return AlarmTransition.None;
        }

        _since = null;
        Active = !Active;
        return Active ? AlarmTransition.Raise : AlarmTransition.Clear;
    }
}
