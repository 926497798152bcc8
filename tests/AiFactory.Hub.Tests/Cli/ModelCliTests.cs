using System.Text.RegularExpressions;
using AiFactory.Cli;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;

namespace AiFactory.Hub.Tests.Cli;

/// <summary><c>aifactory model …</c> against a real hub: a data scientist's whole round, and the errors of each kind.</summary>
[Trait("Category", "Integration")]
public sealed partial class ModelCliTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("aifactory-cli-");
    private HubHarness _hub = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubHarness.StartAsync();
        await _hub.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"), ("l1", "s2"));
        _key = (await _hub.UserAsync("acme", "data-scientist")).Key;
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task KeyPushListDeployStatusPromoteRollback_EachSaysWhatHappened()
    {
        var pem = _dir.File("me.pem");
        var created = await RunAsync("model", "key", "create", "--out", pem);
        var keyId = KeyId().Match(created.Output).Groups[1].Value;
        Assert.Equal(0, created.Code);

        var registered = await RunAsync("model", "key", "register", "--company", "acme", "--key", pem, "--name", "Dr. Lee");
        var pushed = await RunAsync("model", "push", RepoPaths.Model("pump-anomaly"), "--company", "acme", "--key", pem);
        var listed = await RunAsync("model", "list", "--company", "acme");
        var deployed = await RunAsync("model", "deploy", "--company", "acme", "--model", "pump-anomaly", "--version", "2.0.0", "--targets", "p1/l1", "--strategy", "shadow", "--max-disagreement", "0.05");
        var deployment = DeploymentId().Match(deployed.Output).Groups[1].Value;
        var status = await RunAsync("model", "status", "--company", "acme", "--deployment", deployment);
        var promoted = await RunAsync("model", "promote", "--company", "acme", "--deployment", deployment);
        var rolledBack = await RunAsync("model", "rollback", "--company", "acme", "--deployment", deployment, "--reason", "scrap rate up");

        Assert.Equal($"registered key {keyId} (Dr. Lee) for company acme\n", registered.Output);
        Assert.Matches($"^pump-anomaly 2\\.0\\.0: package [0-9a-f]{{64}} \\(\\d+ bytes, signed by key {keyId}\\)\n$", pushed.Output);
        Assert.Matches("\npump-anomaly +2\\.0\\.0 +anomaly +[0-9a-f]{12} ", listed.Output);
        Assert.Matches($"^deployment {deployment}: pump-anomaly 2\\.0\\.0 as shadow on 2 station\\(s\\): p1/l1/s1, p1/l1/s2 \\(active\\)\n$", deployed.Output);
        Assert.StartsWith($"deployment {deployment}: pump-anomaly 2.0.0 as shadow, active\nno frame scored by both yet\n", status.Output, StringComparison.Ordinal);
        Assert.Equal($"deployment {deployment} (pump-anomaly 2.0.0): promoted\n", promoted.Output);
        Assert.Equal($"deployment {deployment} (pump-anomaly 2.0.0): rolled-back: scrap rate up\n", rolledBack.Output);
        Assert.All([created, registered, pushed, listed, deployed, status, promoted, rolledBack], r => Assert.Equal((0, string.Empty), (r.Code, r.Error)));
    }

    [Fact]
    public async Task Push_FolderWithoutAModel_ExitsTwoNamingTheFolder()
    {
        var pem = _dir.File("me.pem");
        await RunAsync("model", "key", "create", "--out", pem);

        var result = await RunAsync("model", "push", _dir.File("nothing"), "--company", "acme", "--key", pem);

        Assert.Equal((2, $"aifactory: model folder '{_dir.File("nothing")}' does not exist\n"), (result.Code, result.Error));
    }

    [Fact]
    public async Task Push_KeyNotRegistered_ExitsOneWithTheHubsReason()
    {
        var pem = _dir.File("me.pem");
        var keyId = KeyId().Match((await RunAsync("model", "key", "create", "--out", pem)).Output).Groups[1].Value;

        var result = await RunAsync("model", "push", RepoPaths.Model("pump-anomaly"), "--company", "acme", "--key", pem);

        Assert.Equal(
            (1, $"aifactory: POST api/v1/companies/acme/models: the hub answered 400: package: signing key '{keyId}' is not registered for company 'acme'; register the data scientist's public key first (aifactory model key register).\n"),
            (result.Code, result.Error));
    }

    [Fact]
    public async Task Deploy_VersionNotRegisteredOrNoKey_IsRefusedWithTheReason()
    {
        var unknown = await RunAsync("model", "deploy", "--company", "acme", "--model", "pump-anomaly", "--version", "2.0.0", "--targets", "p1", "--strategy", "shadow");
        var noKeyError = new StringWriter { NewLine = "\n" };
        var noKey = await ModelCli.RunAsync(["model", "list", "--company", "acme", "--hub", _hub.Address.ToString()], new StringWriter(), noKeyError);

        Assert.Equal((1, "aifactory: POST api/v1/companies/acme/deployments: the hub answered 404: model 'pump-anomaly' version '2.0.0' is not registered in company 'acme'.\n"), (unknown.Code, unknown.Error));
        Assert.Equal((2, "aifactory: no API key: give --api-key or set AIFACTORY_API_KEY (a data-scientist key of your company)\n"), (noKey, noKeyError.ToString()));
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = await ModelCli.RunAsync([.. args, "--hub", _hub.Address.ToString(), "--api-key", _key], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [GeneratedRegex("^key ([0-9a-f]{16}) written to ")]
    private static partial Regex KeyId();

    [GeneratedRegex("^deployment ([0-9a-z-]+):")]
    private static partial Regex DeploymentId();
}
