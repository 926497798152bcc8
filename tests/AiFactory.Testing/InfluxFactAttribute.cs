using Xunit;

namespace AiFactory.Testing;

/// <summary>A fact that needs the test InfluxDB started by deploy/test.sh (AIFACTORY_TEST_INFLUXDB); skipped, saying why, without it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class InfluxFactAttribute : FactAttribute
{
    public static readonly string? Url = Environment.GetEnvironmentVariable("AIFACTORY_TEST_INFLUXDB");

    public InfluxFactAttribute()
    {
        if (Url is null)
        {
            Skip = "AIFACTORY_TEST_INFLUXDB is not set: run the suite with `bash deploy/test.sh`, which starts InfluxDB on 127.0.0.1";
        }
    }
}
