namespace AiFactory.Hub.Influx;

/// <summary>The unit of the timestamps written (the <c>precision</c> query parameter of both write APIs).</summary>
public enum InfluxPrecision
{
    Nanoseconds,
    Microseconds,
    Milliseconds,
    Seconds,
}
