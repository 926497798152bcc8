namespace AiFactory.Hub.Alarms;

/// <summary>What one evaluation of a rule changed.</summary>
public enum AlarmTransition
{
    None,
    Raise,
    Clear,
}
