namespace AiFactory.Edge.Core.Stations;

/// <summary>What a station does when a frame closes and a tag has no fresh value.</summary>
public enum MissingTagPolicy
{
    /// <summary>Use the tag's last good value, if it is not older than the staleness limit.</summary>
    HoldLast,

    /// <summary>Drop the frame.</summary>
    Drop,
}
