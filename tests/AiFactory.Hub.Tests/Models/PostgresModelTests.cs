using System.Net;
using System.Net.Http.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Deployments;
using AiFactory.Hub.Models;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;

namespace AiFactory.Hub.Tests.Models;

/// <summary>The registry's and deployments' SQL on PostgreSQL (BYTEA files, the deployment tables): a package's bytes back intact, a deployment's life.</summary>
[Trait("Category", "Integration")]
public sealed class PostgresModelTests
{
    [PostgresFact]
    public async Task PushDeployPromoteRollback_OnPostgres_KeepsBytesAndStatesExactly()
    {
        await using var hub = await HubHarness.StartOnPostgresAsync();
        using var edge = hub.Client(await hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1")));
        using var ds = await ModelPush.CreateAsync(hub, "acme");
        var files = ModelPush.Files("steel-defects");
        var package = (await (await ds.PushAsync(files)).Content.ReadFromJsonAsync<PackageInfo>())!;

        Assert.Equal(files["steel-defects.onnx"], await ds.Client.GetByteArrayAsync($"/api/v1/companies/acme/models/packages/{package.PackageId}/files/steel-defects.onnx"));
        var started = await ds.Client.PostAsJsonAsync("/api/v1/companies/acme/deployments", new { packageId = package.PackageId, targets = new[] { "p1" }, strategy = "shadow" });
        var d = (await started.Content.ReadFromJsonAsync<Deployment>())!;
        var promoted = (await (await ds.Client.PostAsync($"/api/v1/companies/acme/deployments/{d.Id}/promote", null)).Content.ReadFromJsonAsync<Deployment>())!;
        var desired = (await edge.GetFromJsonAsync<DesiredState>("/api/v1/edges/e1/desired-state?waitSeconds=0"))!;
        var rolled = await ds.Client.PostAsJsonAsync($"/api/v1/companies/acme/deployments/{d.Id}/rollback", new { reason = "test" });
        var history = (await ds.Client.GetFromJsonAsync<List<Deployment>>("/api/v1/companies/acme/deployments"))!;

        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal(Deployment.Promoted, promoted.State);
        Assert.Equal(package.PackageId, Assert.Single(desired.Stations).Production?.PackageId);
        Assert.Equal(HttpStatusCode.OK, rolled.StatusCode);
        Assert.Equal((Deployment.RolledBack, "test"), (Assert.Single(history).State, history[0].Reason));
        Assert.Equal(["p1/l1/s1"], history[0].Stations);
        Assert.Empty((await edge.GetFromJsonAsync<DesiredState>("/api/v1/edges/e1/desired-state?waitSeconds=0"))!.Stations);
    }
}
