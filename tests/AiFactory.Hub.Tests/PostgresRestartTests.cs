using System.Net.Http.Json;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;

namespace AiFactory.Hub.Tests;

/// <summary>Restarts the whole test PostgreSQL, so it runs alone (no other test class in parallel).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresRestartCollection
{
    public const string Name = "postgres-restart";
}

[Trait("Category", "Integration")]
[Collection(PostgresRestartCollection.Name)]
public sealed class PostgresRestartTests
{
    [PostgresFact]
    public async Task PostgresRestartedDuringUploads_NothingLostNothingDoubled()
    {
        await using var hub = await HubHarness.StartOnPostgresAsync();
        var edgeKey = await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        using var edge = hub.Client(edgeKey);
        edge.Timeout = TimeSpan.FromSeconds(10);
        var sender = new RetryingSender(edge, "e1");
        var acked = new TaskCompletionSource();
        var sending = Task.Run(async () =>
        {
            for (var b = 0; b < 40; b++)
            {
                await sender.SendAsync("acme", "p1", "l1", "s1", Batches.T0.AddMinutes(b), 20, 3, CancellationToken.None);
                if (b == 8)
                {
                    acked.TrySetResult();
                }
            }
        });

        await acked.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await PostgresDatabase.RestartServerAsync("stop");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var down = await hub.Client(null).GetAsync("/health/ready");
        await PostgresDatabase.RestartServerAsync("start");
        await sending.WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.True(sender.Retries > 0, "the sender should have seen the database gone");
        var totals = (await hub.Admin.GetFromJsonAsync<MetricsResponse>("/api/v1/companies/acme/metrics?from=2026-11-22T09:00:00Z&to=2026-11-22T12:00:00Z"))!.Totals;
        Assert.Equal(sender.FramesProduced, totals.Frames);
        Assert.Equal(40 * 20 * 3, totals.Frames);
    }
}
