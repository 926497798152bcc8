namespace AiFactory.Edge.Config;

/// <summary>
/// A station's place on the hub: its line, for a classifier the classes that count as pass (every other is a
/// defect), and whether its raw sensor values may leave the plant (<c>raw_upload: true</c>; off by default).
/// </summary>
public sealed record StationUplink(string Line, IReadOnlyList<string> PassClasses, bool RawUpload = false);
