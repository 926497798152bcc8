using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;
using Npgsql;

namespace AiFactory.Hub.Tests.Dashboard;

/// <summary>
/// The dashboard's data-protection key ring in the hub's database: hubs on one database accept each other's session
/// cookies and antiforgery tokens; a hub on another database (same machine, same user, same key id) does not, nor a
/// tampered cookie; with a key-ring certificate the keys are encrypted at rest and a hub without it cannot read them.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DashboardKeyRingTests
{
    private const string Page = "/ui/companies/acme";

    [Fact]
    public async Task CookieAndTokenOfOneHubProcess_AreAcceptedByAnotherOnTheSameDatabase_ButNotByAHubOnAnotherDatabase()
    {
        using var dir = new TempDirectory("aifactory-keyring-");
        var adminKey = ApiKey.Generate().Key;
        await using var minting = await HubProcess.StartAsync("Sqlite", $"Data Source={dir.File("hub.db")}", adminKey);
        using var admin = ReliabilityTests.Client(minting.Address, adminKey);
        await ReliabilityTests.SetupAsync(admin);
        await using var sibling = await HubProcess.StartAsync("Sqlite", $"Data Source={dir.File("hub.db")}", adminKey);
        await using var stranger = await HubProcess.StartAsync("Sqlite", $"Data Source={dir.File("other.db")}", adminKey);

        using var ours = new DashboardSessionClient(minting.Address);
        using var theirs = new DashboardSessionClient(stranger.Address);
        await ours.SignInAsync(adminKey);
        await theirs.SignInAsync(adminKey); // the same hub-admin key id on the other database: only the key ring differs
        var ourToken = await ours.TokenAsync("/ui/signin");
        var theirToken = await theirs.TokenAsync("/ui/signin");
        Assert.Equal(HttpStatusCode.OK, (await ours.GetAsync(Page)).StatusCode);

        using var atSibling = Carrying(sibling, ours);
        using var strangerAtSibling = Carrying(sibling, theirs);
        using var tampered = Carrying(sibling, ours, spoil: true);
        Assert.Equal(HttpStatusCode.OK, (await atSibling.GetAsync(Page)).StatusCode);
        AssertSentToSignIn(await strangerAtSibling.GetAsync(Page));
        AssertSentToSignIn(await tampered.GetAsync(Page));

        using var accepted = await atSibling.PostFormAsync("/ui/forms/culture", [new("culture", "ko"), new("returnUrl", Page), new("__RequestVerificationToken", ourToken)]);
        using var refused = await strangerAtSibling.PostFormAsync("/ui/forms/culture", [new("culture", "ko"), new("returnUrl", Page), new("__RequestVerificationToken", theirToken)]);
        Assert.Equal((HttpStatusCode.Redirect, Page), (accepted.StatusCode, accepted.Headers.Location?.OriginalString));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task WithAKeyRingCertificate_KeysAreEncryptedAtRest_AndAHubWithoutTheCertificateRefusesToStart()
    {
        using var dir = new TempDirectory("aifactory-keyring-");
        var (certificate, key) = WriteRsaCertificate(dir, "ring");
        var (otherCertificate, otherKey) = WriteRsaCertificate(dir, "other");
        var database = $"Data Source={dir.File("hub.db")}";
        var adminKey = ApiKey.Generate().Key;
        await using var minting = await HubHarness.StartAsync(connection: database, adminKey: adminKey, extra: Ring(certificate, key));
        await minting.SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
        await using var sibling = await HubHarness.StartAsync(connection: database, adminKey: adminKey, extra: Ring(certificate, key));
        using var ours = new DashboardSessionClient(minting.Address);
        await ours.SignInAsync(adminKey);
        using var atSibling = Carrying(sibling.Address, ours, minting.Address);

        Assert.Equal(HttpStatusCode.OK, (await atSibling.GetAsync(Page)).StatusCode);
        var xml = Assert.Single(await KeyRingAsync(dir.File("hub.db")));
        Assert.Contains("<EncryptedData", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        foreach (var extra in new[] { Array.Empty<string>(), Ring(otherCertificate, otherKey) })
        {
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => HubHarness.StartAsync(connection: database, adminKey: adminKey, extra: extra));
            Assert.Contains(" in the database cannot be read by this hub (", ex.Message, StringComparison.Ordinal);
            Assert.EndsWith("every hub on the database needs the same Hub:Dashboard:KeyRingCertificatePath (and KeyRingKeyPath or KeyRingPassword) that encrypted it.", ex.Message, StringComparison.Ordinal);
        }

        Assert.Single(await KeyRingAsync(dir.File("hub.db")));
    }

    [PostgresFact]
    public async Task OnPostgres_ThreeHubsStartingTogether_MakeOneKey_AndReadEachOthersCookies()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        var adminKey = ApiKey.Generate().Key;
        var hubs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => HubHarness.StartAsync(DatabaseProvider.PostgreSql, db.ConnectionString, adminKey)));
        try
        {
            await hubs[0].SetupPlantAsync("acme", "p1", "e1", ("l1", "s1"));
            await using var c = new NpgsqlConnection(db.ConnectionString);
            await c.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM data_protection_keys", c);
            Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
            foreach (var (minting, reading) in new[] { (hubs[0], hubs[1]), (hubs[1], hubs[2]), (hubs[2], hubs[0]) })
            {
                using var session = new DashboardSessionClient(minting.Address);
                await session.SignInAsync(adminKey);
                using var elsewhere = Carrying(reading.Address, session, minting.Address);
                Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync(Page)).StatusCode);
            }
        }
        finally
        {
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task KeyRingCertificate_ThatIsNotACertificate_StopsTheHubNamingTheSetting()
    {
        using var dir = new TempDirectory("aifactory-keyring-");
        File.WriteAllText(dir.File("garbage.pem"), "not a certificate");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => HubHarness.StartAsync(extra: [$"--Hub:Dashboard:KeyRingCertificatePath={dir.File("garbage.pem")}"]));

        Assert.StartsWith($"Hub:Dashboard:KeyRingCertificatePath '{dir.File("garbage.pem")}' could not be loaded: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyRingCertificate_ThatDoesNotExist_StopsTheHubNamingTheSetting()
    {
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            HubHarness.StartAsync(extra: ["--Hub:Dashboard:KeyRingCertificatePath=/nonexistent/ring.pem"]));

        Assert.Contains("Hub:Dashboard:KeyRingCertificatePath '/nonexistent/ring.pem' does not exist.", ex.Message, StringComparison.Ordinal);
    }

    private static DashboardSessionClient Carrying(HubProcess hub, DashboardSessionClient from, bool spoil = false) => Carrying(hub.Address, from, from.BaseAddress, spoil);

    /// <summary>A client of <paramref name="hub"/> holding the cookies <paramref name="from"/> got from <paramref name="origin"/>.</summary>
    private static DashboardSessionClient Carrying(Uri hub, DashboardSessionClient from, Uri origin, bool spoil = false)
    {
        var client = new DashboardSessionClient(hub);
        foreach (Cookie cookie in from.Cookies.GetCookies(origin))
        {
            // Flipping one character in the middle of the ticket breaks its authentication tag.
            var value = spoil && cookie.Name == "aif-dashboard" ? cookie.Value[..40] + (cookie.Value[40] == 'A' ? 'B' : 'A') + cookie.Value[41..] : cookie.Value;
            client.Cookies.Add(hub, new Cookie(cookie.Name, value, "/"));
        }

        return client;
    }

    private static void AssertSentToSignIn(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/ui/signin?ReturnUrl=", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        response.Dispose();
    }

    private static string[] Ring(string certificate, string key) => [$"--Hub:Dashboard:KeyRingCertificatePath={certificate}", $"--Hub:Dashboard:KeyRingKeyPath={key}"];

    private static (string Certificate, string Key) WriteRsaCertificate(TempDirectory dir, string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=aifactory key ring test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        File.WriteAllText(dir.File(name + ".pem"), certificate.ExportCertificatePem());
        File.WriteAllText(dir.File(name + ".key"), rsa.ExportPkcs8PrivateKeyPem());
        return (dir.File(name + ".pem"), dir.File(name + ".key"));
    }

    private static Task<string[]> KeyRingAsync(string database) => SqliteRows.ReadAsync(database, "SELECT xml FROM data_protection_keys", r => r.GetString(0));
}
