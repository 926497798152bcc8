using System.Net;
using System.Net.Http.Json;
using AiFactory.Hub.Tests.Support;

namespace AiFactory.Hub.Tests;

/// <summary>Per-key token buckets: a key past its burst gets 429 with Retry-After; other keys are not affected.</summary>
[Trait("Category", "Integration")]
public sealed class RateLimitTests : IAsyncLifetime
{
    private HubHarness _hub = null!;

    public async Task InitializeAsync() =>
        _hub = await HubHarness.StartAsync(extra: ["--Hub:RateLimit:RequestsPerMinute=1", "--Hub:RateLimit:Burst=12"]);

    public Task DisposeAsync() => _hub.DisposeAsync().AsTask();

    [Fact]
    public async Task KeyPastItsBurst_Gets429WithRetryAfter_OtherKeysGoOn()
    {
        (await _hub.Admin.PostAsJsonAsync("/api/v1/admin/companies", new { id = "acme" })).EnsureSuccessStatusCode();
        var busyKey = await _hub.UserAsync("acme", "plant-engineer");
        using var busy = _hub.Client(busyKey.Key);
        using var other = _hub.Client((await _hub.UserAsync("acme", "data-scientist")).Key);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 13; i++)
        {
            answers.Add(await busy.GetAsync("/api/v1/companies/acme/metrics"));
        }

        var refused = answers[^1];
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 12), answers.Take(12).Select(a => a.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Contains($"key '{busyKey.KeyId}' made more than 12 requests at once or 1 a minute (Hub:RateLimit); retry after {refused.Headers.RetryAfter.Delta.Value.TotalSeconds} s.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/companies/acme/metrics")).StatusCode);
    }
}
