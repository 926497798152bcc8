using System.Net;
using System.Text.Json;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

[Trait("Category", "Integration")]
public sealed class StatusEndpointTests
{
    [Fact]
    public async Task Status_WhileRunning_ReportsSourcesAndModelLatency()
    {
        var port = FreePort.Next();
        using var output = new StringWriter();
        var run = CliRunner.RunAsync(TextWriter.Synchronized(output), "run", "--speed", "100", "--duration", "6", "--status-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        JsonElement status = default;
        await Eventually.WaitFor(() =>
        {
            try
            {
                using var doc = JsonDocument.Parse(http.GetStringAsync($"http://127.0.0.1:{port}/status").GetAwaiter().GetResult());
                status = doc.RootElement.Clone();
                return status.GetProperty("models").EnumerateArray().All(m => m.GetProperty("frames").GetInt64() > 0);
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "a status with scored frames for every model");

        Assert.Equal(["pump-1", "plate-1"], status.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(status.GetProperty("sources").EnumerateArray(), s => Assert.Equal("Connected", s.GetProperty("state").GetString()));
        Assert.Equal(["pump-anomaly", "steel-defects"], status.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("model").GetString()).Order());
        Assert.Equal(["pump-1", "plate-1"], status.GetProperty("stations").EnumerateArray().Select(s => s.GetProperty("station").GetString()));
        Assert.Equal(
            ["Accelerometer1RMS", "Accelerometer2RMS", "Current", "Pressure", "Temperature", "Thermocouple", "Voltage", "Volume Flow RateRMS"],
            status.GetProperty("stations")[0].GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("tag").GetString()!.Split('/')[1]));
        Assert.All(status.GetProperty("stations")[0].GetProperty("tags").EnumerateArray(), t => Assert.Equal(0, t.GetProperty("nan").GetInt64()));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{port}/other")).StatusCode);
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
