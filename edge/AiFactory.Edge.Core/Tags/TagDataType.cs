namespace AiFactory.Edge.Core.Tags;

/// <summary>What a tag's raw readings are: a raw value that is not of its type counts as a decode error.</summary>
public enum TagDataType
{
    /// <summary>Any finite number.</summary>
    Float = 0,

    /// <summary>A whole number (a counter, a register read as an integer).</summary>
    Int = 1,

    /// <summary>0 or 1 (a coil, a discrete input, a flag); its valid range defaults to 0..1.</summary>
    Bool = 2,
}
