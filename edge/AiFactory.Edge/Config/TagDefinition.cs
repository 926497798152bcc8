using AiFactory.Edge.Core.Frames;

namespace AiFactory.Edge.Config;

/// <summary>
/// A tag as the configuration declares it: the source and address it comes from (the name that source gives
/// its values), its data type and unit, and its conditioning (<see cref="TagSpec"/>). Tags a station names that
/// the <c>tags:</c> list does not declare are implicit: their address is their name and their spec is plain.
/// </summary>
public sealed record TagDefinition(string Name, string Source, string Address, string DataType, string? Unit, TagSpec Spec);
