using System.Net.Http.Json;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;

namespace AiFactory.Hub.Tests;

/// <summary>Two stateless replicas behind nginx over one PostgreSQL give exactly the totals of one replica.</summary>
[Trait("Category", "Integration")]
public sealed class ScaleOutTests
{
    private const string Range = "?from=2026-11-22T09:00:00Z&to=2026-11-22T12:00:00Z&bucket=minute";

    [NginxFact]
    public async Task TwoReplicasBehindNginx_GiveTheSameTotalsAsOneReplica()
    {
        var adminKey = ApiKey.Generate().Key;
        await using var db = await PostgresDatabase.CreateAsync();
        await using var first = await HubProcess.StartAsync("PostgreSql", db.ConnectionString, adminKey);
        await using var second = await HubProcess.StartAsync("PostgreSql", db.ConnectionString, adminKey);
        await using var nginx = await NginxProxy.StartAsync([first.Port, second.Port]);
        await using var single = await HubHarness.StartAsync();

        var replicas = await DeliverAsync(nginx.Address, adminKey);
        await DeliverAsync(single.Address, single.AdminKey);

        Assert.Equal(2, replicas.Count);
        using var scaled = new HttpClient { BaseAddress = first.Address };
        scaled.DefaultRequestHeaders.Authorization = new("Bearer", adminKey);
        foreach (var path in new[] { "/api/v1/companies/acme/metrics", "/api/v1/companies/acme/plants/p1/lines/l1/metrics", "/api/v1/companies/acme/plants/p1/lines/l2/stations/s3/metrics" })
        {
            var a = (await scaled.GetFromJsonAsync<MetricsResponse>(path + Range))!;
            var b = (await single.Admin.GetFromJsonAsync<MetricsResponse>(path + Range))!;
            Assert.Equal(b.Totals, a.Totals);
            Assert.Equal(b.Series, a.Series);
        }

        var total = (await scaled.GetFromJsonAsync<MetricsResponse>("/api/v1/companies/acme/metrics" + Range))!.Totals.Frames;
        Assert.Equal(Enumerable.Range(0, 4).Sum(e => 12 * 5 * (e + 1) * 3), total);
    }

    /// <summary>Four edges, 12 batches each (every third one sent twice); answers the replicas that served ingest.</summary>
    private static async Task<HashSet<string>> DeliverAsync(Uri hub, string adminKey)
    {
        using var admin = new HttpClient { BaseAddress = hub };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", adminKey);
        await Post(admin, "/api/v1/admin/companies", new { id = "acme" });
        await Post(admin, "/api/v1/admin/companies/acme/plants", new { id = "p1" });
        await Post(admin, "/api/v1/admin/companies/acme/plants/p1/lines", new { id = "l1" });
        await Post(admin, "/api/v1/admin/companies/acme/plants/p1/lines", new { id = "l2" });
        await Post(admin, "/api/v1/admin/companies/acme/plants/p1/lines/l1/stations", new { id = "s1" });
        await Post(admin, "/api/v1/admin/companies/acme/plants/p1/lines/l1/stations", new { id = "s2" });
        await Post(admin, "/api/v1/admin/companies/acme/plants/p1/lines/l2/stations", new { id = "s3" });
        var served = new HashSet<string>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async e =>
        {
            var created = await Post(admin, "/api/v1/admin/companies/acme/plants/p1/edges", new { id = $"e{e}" });
            var key = (await created.Content.ReadFromJsonAsync<CreatedKey>())!.Key;
            using var edge = new HttpClient { BaseAddress = hub };
            edge.DefaultRequestHeaders.Authorization = new("Bearer", key);
            var sender = new RetryingSender(edge, $"e{e}");
            var stations = new[] { ("l1", "s1"), ("l1", "s2"), ("l2", "s3") };
            for (var b = 0; b < 12; b++)
            {
                var (line, station) = stations[(e + b) % 3];
                await sender.SendAsync("acme", "p1", line, station, Batches.T0.AddMinutes(b), 5, (e + 1) * 3, CancellationToken.None);
                if (b % 3 == 0)
                {
                    await sender.ResendLastAsync(CancellationToken.None);
                }
            }

            lock (served)
            {
                served.UnionWith(sender.ServedBy);
            }
        }));
        return served;
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
