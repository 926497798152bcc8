namespace AiFactory.Edge.Core.Tags;

/// <summary>
/// What the plant engineer says about one tag: its unit, the linear conversion to engineering units
/// (value = read × <see cref="Scale"/> + <see cref="Offset"/>), its valid range, how old a value may be when a frame
/// uses it, and how often it should arrive (for gap counting).
/// </summary>
public sealed record TagDefinition(
    string Name,
    string? Unit = null,
    double Scale = 1,
    double Offset = 0,
    double? Min = null,
    double? Max = null,
    TimeSpan? StaleAfter = null,
    TimeSpan? Period = null,
    TagDataType Type = TagDataType.Float,
    string? Source = null);
