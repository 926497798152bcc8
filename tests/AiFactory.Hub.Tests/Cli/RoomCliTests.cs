using AiFactory.Cli;
using AiFactory.Contracts;
using AiFactory.Hub.Tests.Alliance;
using AiFactory.Testing;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests.Cli;

/// <summary><c>aifactory room …</c> against a real hub: a company admin offers and revokes, a granted data scientist lists and downloads.</summary>
[Trait("Category", "Integration")]
public sealed class RoomCliTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("aifactory-room-cli-");
    private AllianceWorld _w = null!;
    private string _admin = null!;
    private string _scientist = null!;
    private string _stranger = null!;

    public async Task InitializeAsync()
    {
        _w = await AllianceWorld.StartAsync();
        await _w.AddRoomCompaniesAsync(["pump/acc1", "pump/flow"], new RawRow(T0, [0.213, 32.46]), new RawRow(T0.AddSeconds(1), [0.25, 32.71]));
        _admin = (await _w.Hub.UserAsync("acme", "company-admin")).Key;
        _scientist = (await _w.Hub.UserAsync("globex", "data-scientist")).Key;
        _stranger = (await _w.Hub.UserAsync("initech", "data-scientist")).Key;
    }

    public async Task DisposeAsync()
    {
        await _w.DisposeAsync();
        _dir.Dispose();
    }

    private string[] Offer(params string[] extra) =>
    [
        "room", "offer", "--alliance", "ev", "--company", "acme", "--id", "pumps-2026", "--plant", "p1", "--line", "l1", "--station", "s-l1",
        "--from", "2026-11-22T09:00:00Z", "--to", "2026-11-22T11:00:00Z", "--expires", "2030-01-01T00:00:00Z", "--grantee", "globex", .. extra,
    ];

    [Fact]
    public async Task OfferListDownloadRevoke_EachSaysWhatHappened()
    {
        var csv = _dir.File("train.csv");

        var offered = await RunAsync(_admin, Offer("--rename", "pump/acc1=Accelerometer1RMS", "--offset", "pump/flow=-30", "--quantum", "0.1"));
        var offers = await RunAsync(_admin, "room", "offers", "--alliance", "ev", "--company", "acme");
        var datasets = await RunAsync(_scientist, "room", "datasets", "--alliance", "ev");
        var strangers = await RunAsync(_stranger, "room", "datasets", "--alliance", "ev");
        var downloaded = await RunAsync(_scientist, "room", "download", "--alliance", "ev", "--dataset", "pumps-2026", "--out", csv);
        var text = await File.ReadAllTextAsync(csv);
        var revoked = await RunAsync(_admin, "room", "revoke", "--alliance", "ev", "--company", "acme", "--offer", "pumps-2026");
        var afterRevoke = await RunAsync(_scientist, "room", "download", "--alliance", "ev", "--dataset", "pumps-2026", "--out", _dir.File("again.csv"));
        var listedRevoked = await RunAsync(_admin, "room", "offers", "--alliance", "ev", "--company", "acme");

        const string Described = "p1/l1/s-l1 2026-11-22 09:00Z to 2026-11-22 11:00Z for model-development to globex until 2030-01-01 00:00Z";
        Assert.Equal((0, $"offer pumps-2026: {Described}\n", string.Empty), offered);
        Assert.Equal((0, $"pumps-2026  {Described}\n", string.Empty), offers);
        Assert.Equal((0, "pumps-2026  model-development, 2026-11-22 09:00Z to 2026-11-22 11:00Z, until 2030-01-01 00:00Z\n", string.Empty), datasets);
        Assert.Equal((0, "no datasets granted\n", string.Empty), strangers);
        Assert.Equal((0, $"wrote dataset pumps-2026: 2 rows to {csv}\n", string.Empty), downloaded);
        Assert.Contains("Accelerometer1RMS", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pump/", text, StringComparison.Ordinal);
        Assert.Equal((0, "revoked offer pumps-2026 in alliance ev\n", string.Empty), revoked);
        Assert.Equal(1, afterRevoke.Code);
        Assert.Equal(
            "aifactory: GET api/v1/alliances/ev/datasets/pumps-2026/training.csv: the hub answered 404: dataset 'pumps-2026' is not granted to company 'globex' (never offered to it, revoked or expired).\n",
            afterRevoke.Error);
        Assert.False(File.Exists(_dir.File("again.csv")));
        Assert.StartsWith($"pumps-2026  {Described}, revoked ", listedRevoked.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_IsRefusedNamingTheOptionOrTheHubsReason()
    {
        var badRename = await RunAsync(_admin, Offer("--rename", "pump/acc1"));
        var badOffset = await RunAsync(_admin, Offer("--offset", "pump/flow=lots"));
        var twice = await RunAsync(_admin, Offer("--rename", "a=x", "--rename", "a=y"));
        var scientistOffers = await RunAsync(_scientist, "room", "offer", "--alliance", "ev", "--company", "globex", "--id", "x", "--plant", "p1", "--line", "l1",
            "--station", "s-l1", "--from", "2026-11-22T09:00:00Z", "--to", "2026-11-22T11:00:00Z", "--expires", "2030-01-01T00:00:00Z");
        var noFolder = await RunAsync(_scientist, "room", "download", "--alliance", "ev", "--dataset", "pumps-2026", "--out", _dir.File("missing/train.csv"));
        var otherCompany = await RunAsync(_admin, "room", "offers", "--alliance", "ev", "--company", "globex");

        Assert.Equal((2, string.Empty, "aifactory: --rename 'pump/acc1' is not TAG=VALUE\n"), badRename);
        Assert.Equal((2, string.Empty, "aifactory: --offset value 'lots' is not a number\n"), badOffset);
        Assert.Equal((2, string.Empty, "aifactory: --rename names tag 'a' twice\n"), twice);
        Assert.Equal(1, scientistOffers.Code);
        Assert.StartsWith("aifactory: POST api/v1/alliances/ev/companies/globex/offers: the hub answered 403: ", scientistOffers.Error, StringComparison.Ordinal);
        Assert.Equal((2, string.Empty, $"aifactory: --out '{_dir.File("missing/train.csv")}': folder '{_dir.File("missing")}' does not exist\n"), noFolder);
        Assert.Equal((1, string.Empty, "aifactory: GET api/v1/alliances/ev/companies/globex/offers: the hub answered 404: company 'globex' does not exist.\n"), otherCompany);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string key, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = await ModelCli.RunAsync([.. args, "--hub", _w.Hub.Address.ToString(), "--api-key", key], output, error);
        return (code, output.ToString(), error.ToString());
    }
}
