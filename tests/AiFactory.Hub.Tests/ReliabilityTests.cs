using System.Net.Http.Json;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tenancy;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;

namespace AiFactory.Hub.Tests;

/// <summary>Pass = the hub's totals equal what the sender produced: nothing lost, nothing doubled.</summary>
[Trait("Category", "Integration")]
public sealed class ReliabilityTests
{
    [Fact]
    public async Task HubKilledDuringUploads_OnSqlite_NothingLostNothingDoubled()
    {
        var dir = Directory.CreateTempSubdirectory("aifactory-kill-").FullName;
        await KillDuringUploadsAsync("Sqlite", $"Data Source={Path.Combine(dir, "hub.db")}");
    }

    [PostgresFact]
    public async Task HubKilledDuringUploads_OnPostgres_NothingLostNothingDoubled()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await KillDuringUploadsAsync("PostgreSql", db.ConnectionString);
    }

    private static async Task KillDuringUploadsAsync(string provider, string connection)
    {
        var adminKey = ApiKey.Generate().Key;
        await using var hub = await HubProcess.StartAsync(provider, connection, adminKey);
        using var admin = Client(hub.Address, adminKey);
        var edgeKey = await SetupAsync(admin);
        using var edge = Client(hub.Address, edgeKey);
        edge.Timeout = TimeSpan.FromSeconds(5);
        var sender = new RetryingSender(edge, "e1");
        var acked = new TaskCompletionSource();
        var sending = Task.Run(async () =>
        {
            for (var b = 0; b < 40; b++)
            {
                await sender.SendAsync("acme", "p1", "l1", "s1", Batches.T0.AddMinutes(b), 20, 7, CancellationToken.None);
                if (b == 8)
                {
                    acked.TrySetResult();
                }
            }
        });

        await acked.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await hub.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await hub.StartAgainAsync();
        await sending.WaitAsync(TimeSpan.FromSeconds(120));

        Assert.True(sender.Retries > 0, "the sender should have seen the hub gone");
        var totals = (await admin.GetFromJsonAsync<MetricsResponse>("/api/v1/companies/acme/metrics?from=2026-11-22T09:00:00Z&to=2026-11-22T12:00:00Z"))!.Totals;
        Assert.Equal(40 * 20 * 7, sender.FramesProduced);
        Assert.Equal(sender.FramesProduced, totals.Frames);
    }

    internal static HttpClient Client(Uri address, string key)
    {
        var c = new HttpClient { BaseAddress = address };
        c.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return c;
    }

    internal static async Task<string> SetupAsync(HttpClient admin)
    {
        foreach (var (path, id) in new[]
        {
            ("/api/v1/admin/companies", "acme"), ("/api/v1/admin/companies/acme/plants", "p1"),
            ("/api/v1/admin/companies/acme/plants/p1/lines", "l1"), ("/api/v1/admin/companies/acme/plants/p1/lines/l1/stations", "s1"),
        })
        {
            (await admin.PostAsJsonAsync(path, new { id })).EnsureSuccessStatusCode();
        }

        var created = await admin.PostAsJsonAsync("/api/v1/admin/companies/acme/plants/p1/edges", new { id = "e1" });
        return (await created.Content.ReadFromJsonAsync<CreatedKey>())!.Key;
    }
}
