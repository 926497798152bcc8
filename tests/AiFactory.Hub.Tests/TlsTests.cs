using System.Net;
using System.Net.Http.Json;
using AiFactory.Hub.Tests.Support;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests;

/// <summary>HTTPS with a configured certificate (PEM or PFX) and edge client certificates bound to the edge's identity.</summary>
[Trait("Category", "Integration")]
public sealed class TlsTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task PfxCertificate_ServesHttps()
    {
        await using var hub = await HubHarness.StartAsync(extra: ["--urls=https://127.0.0.1:0", $"--Hub:Tls:CertificatePath={_certificates.ServerPfx}", "--Hub:Tls:Password=pfx-pass"]);
        using var admin = _certificates.Client(hub.Address, hub.AdminKey);

        var response = await admin.PostAsJsonAsync("/api/v1/admin/companies", new { id = "acme" });

        Assert.Equal("https", hub.Address.Scheme);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task EdgeCertificates_AcceptTheEdgeItNames_RefuseOthersAndNone()
    {
        await using var hub = await HubHarness.StartAsync(extra:
        [
            "--urls=https://127.0.0.1:0", $"--Hub:Tls:CertificatePath={_certificates.ServerPem}", $"--Hub:Tls:KeyPath={_certificates.ServerKeyPem}",
            $"--Hub:Tls:ClientCaPath={_certificates.AuthorityPem}", "--Hub:Tls:RequireEdgeCertificate=true",
        ]);
        using var admin = _certificates.Client(hub.Address, hub.AdminKey);
        var key = await ReliabilityTests.SetupAsync(admin);
        using var own = _certificates.Client(hub.Address, key, _certificates.Edge("e1"));
        using var other = _certificates.Client(hub.Address, key, _certificates.Edge("e2"));
        using var none = _certificates.Client(hub.Address, key);
        using var strangers = new TestCertificates();
        using var forged = _certificates.Client(hub.Address, key, strangers.Edge("e1"));
        var batch = Batch("e1", 1, [Summary("e1", "acme", "p1", "l1", "s1", T0, 10, 9, 1)]);

        var accepted = await own.PostAsync("/api/v1/ingest", Json(batch));
        var wrongEdge = await other.PostAsync("/api/v1/ingest", Json(batch));
        var noCertificate = await none.PostAsync("/api/v1/ingest", Json(batch));
        var handshake = await Assert.ThrowsAsync<HttpRequestException>(() => forged.PostAsync("/api/v1/ingest", Json(batch)));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongEdge.StatusCode);
        Assert.Contains("the client certificate names 'e2', not edge 'e1' whose key was presented.", await wrongEdge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, noCertificate.StatusCode);
        Assert.Contains("edge 'e1' must present its client certificate (Hub:Tls:RequireEdgeCertificate); this connection has none.", await noCertificate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(handshake);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/companies/acme/metrics")).StatusCode);
    }
}
