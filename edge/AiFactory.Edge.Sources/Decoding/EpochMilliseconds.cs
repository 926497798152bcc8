namespace AiFactory.Edge.Sources.Decoding;

/// <summary>Epoch milliseconds from a payload: only those a DateTimeOffset can hold (years 0001–9999) become a time.</summary>
internal static class EpochMilliseconds
{
    private static readonly long Min = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long Max = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static bool TryTime(long ms, out DateTimeOffset time)
    {
        time = ms >= Min && ms <= Max ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : default;
        return ms >= Min && ms <= Max;
    }
}
