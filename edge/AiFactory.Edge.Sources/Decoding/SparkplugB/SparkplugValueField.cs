namespace AiFactory.Edge.Sources.Decoding.SparkplugB;

/// <summary>Which of a metric's value fields (the proto's <c>oneof value</c>) carried its value.</summary>
public enum SparkplugValueField
{
    None,
    Int,
    Long,
    Float,
    Double,
    Boolean,
    /// <summary>String, bytes, dataset, template or extension: not a number.</summary>
    Other,
}
