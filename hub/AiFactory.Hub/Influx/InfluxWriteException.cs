namespace AiFactory.Hub.Influx;

/// <summary>InfluxDB refused a write for good (4xx other than 429), or every retry failed.</summary>
public sealed class InfluxWriteException(string message, int? status = null) : Exception(message)
{
    public int? Status { get; } = status;
}
