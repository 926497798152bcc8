using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Tests;

[Trait("Category", "Unit")]
public sealed class HubOptionsValidatorTests
{
    [Fact]
    public void Defaults_AreValid() => Assert.True(new HubOptionsValidator().Validate(null, new HubOptions()).Succeeded);

    public static TheoryData<string, Action<HubOptions>> Bad => new()
    {
        { "Hub:Database:ConnectionString is empty", o => o.Database.ConnectionString = " " },
        { "has no Host= for PostgreSql", o => o.Database = new DatabaseSettings { Provider = DatabaseProvider.PostgreSql, ConnectionString = "Data Source=x.db" } },
        { "Hub:Ingest:MaxRequestBytes 10 is outside", o => o.Ingest.MaxRequestBytes = 10 },
        { "Hub:Ingest:MaxInflatedBytes 2048 is below MaxRequestBytes", o => o.Ingest.MaxInflatedBytes = 2048 },
        { "Hub:Ingest:MaxRecords 0 is outside", o => o.Ingest.MaxRecords = 0 },
        { "Hub:EdgeOfflineAfter", o => o.EdgeOfflineAfter = TimeSpan.Zero },
        { "Hub:BootstrapAdminKey is not an AiFactory key", o => o.BootstrapAdminKey = "letmein" },
        { "Hub:Ingest:PoolMaxBufferBytes 1024 is outside 64 KiB..64 MiB", o => o.Ingest.PoolMaxBufferBytes = 1024 },
        { "Hub:Ingest:TrimAfterIdle 00:00:00 is outside", o => o.Ingest.TrimAfterIdle = TimeSpan.Zero },
        { "Hub:RateLimit:RequestsPerMinute 0 is outside 1..6000000", o => o.RateLimit.RequestsPerMinute = 0 },
        { "Hub:RateLimit:Burst 0 is outside 1..1000000", o => o.RateLimit.Burst = 0 },
        { "Hub:Tls:CertificatePath '/nonexistent/hub.pem' does not exist.", o => o.Tls.CertificatePath = "/nonexistent/hub.pem" },
        { "Hub:Tls:RequireEdgeCertificate needs Hub:Tls:CertificatePath and Hub:Tls:ClientCaPath", o => o.Tls.RequireEdgeCertificate = true },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void BadSetting_FailsNamingTheKey(string expected, Action<HubOptions> spoil)
    {
        var options = new HubOptions();
        spoil(options);

        var result = new HubOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidOptions_StopTheHubAtStart()
    {
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            Support.HubHarness.StartAsync(extra: ["--Hub:Ingest:MaxRecords=0"]));

        Assert.Contains("Hub:Ingest:MaxRecords 0 is outside", ex.Message, StringComparison.Ordinal);
    }
}
