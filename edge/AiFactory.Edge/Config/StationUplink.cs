namespace AiFactory.Edge.Config;

/// <summary>A station's place on the hub: its line, and for a classifier the classes that count as pass (every other is a defect).</summary>
public sealed record StationUplink(string Line, IReadOnlyList<string> PassClasses);
