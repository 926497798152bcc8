using System.Net;
using System.Net.Http.Json;
using AiFactory.Hub.Audit;
using AiFactory.Hub.Cli;
using AiFactory.Hub.Tenancy;
using AiFactory.Hub.Tests.Support;

namespace AiFactory.Hub.Tests;

/// <summary>Every admin change, through the API or the CLI, leaves one audit entry (who, when, what, old/new) that hub admins read.</summary>
[Trait("Category", "Integration")]
public sealed class AuditLogTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-audit-").FullName;
    private HubHarness _hub = null!;

    private string Connection => $"Data Source={Path.Combine(_dir, "hub.db")}";

    private DateTimeOffset _started;

    public async Task InitializeAsync()
    {
        _started = DateTimeOffset.UtcNow.AddSeconds(-1);
        _hub = await HubHarness.StartAsync(connection: Connection);
    }

    public Task DisposeAsync() => _hub.DisposeAsync().AsTask();

    [Fact]
    public async Task EveryAdminChange_ApiAndCli_IsAuditedWithWhoWhatAndOldNew()
    {
        var adminId = ApiKey.TryParse(_hub.AdminKey, out var id, out _) ? id : throw new InvalidOperationException("admin key");
        await _hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        var user = await _hub.UserAsync("acme", "company-admin");
        (await _hub.Admin.PostAsync($"/api/v1/admin/keys/{user.KeyId}/revoke", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Conflict, (await _hub.Admin.PostAsJsonAsync("/api/v1/admin/companies", new { id = "acme" })).StatusCode);
        using var output = new StringWriter();
        Assert.Equal(0, await HubCli.RunAsync(["admin", "line", "--provider", "Sqlite", "--connection", Connection, "--company", "acme", "--plant", "p1", "--id", "l2"], output));

        var entries = (await _hub.Admin.GetFromJsonAsync<List<AuditEntry>>($"/api/v1/admin/audit?from={Uri.EscapeDataString(_started.ToString("O"))}"))!;

        var api = $"key {adminId} (hub-admin)";
        var cli = $"{Environment.UserName}@{Environment.MachineName}";
        Assert.Equal(
            [
                ("config", "Hub:BootstrapAdminKey", "key.create", null, $"key {adminId}"),
                ("api", api, "company.create", "acme", "acme"),
                ("api", api, "plant.create", "acme", "acme/p1"),
                ("api", api, "line.create", "acme", "acme/p1/l1"),
                ("api", api, "station.create", "acme", "acme/p1/l1/s1"),
                ("api", api, "edge.create", "acme", "acme/p1/e1"),
                ("api", api, "key.create", "acme", $"key {user.KeyId}"),
                ("api", api, "key.revoke", "acme", $"key {user.KeyId}"),
                ("cli", cli, "line.create", "acme", "acme/p1/l2"),
            ],
            entries.AsEnumerable().Reverse().Select(e => (e.Via, e.Who, e.Action, e.CompanyId, e.Target)).ToArray());
        var revoke = entries.Single(e => e.Action == "key.revoke");
        Assert.Equal("{\"revokedUtc\":null}", revoke.OldValue);
        Assert.StartsWith("{\"revokedUtc\":\"", revoke.NewValue, StringComparison.Ordinal);
        Assert.Equal("{\"id\":\"p1\",\"name\":\"p1\"}", entries.Single(e => e.Action == "plant.create").NewValue);
        Assert.DoesNotContain(entries, e => e.NewValue?.Contains(user.Key, StringComparison.Ordinal) == true);
        Assert.All(entries, e => Assert.InRange(e.TimeUtc, _started, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task CompanyAdmin_MayNotReadTheAuditLog()
    {
        (await _hub.Admin.PostAsJsonAsync("/api/v1/admin/companies", new { id = "acme" })).EnsureSuccessStatusCode();
        using var companyAdmin = _hub.Client((await _hub.UserAsync("acme", "company-admin")).Key);

        var response = await companyAdmin.GetAsync("/api/v1/admin/audit");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("role 'company-admin' may not read the audit log; a hub-admin key is needed.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
