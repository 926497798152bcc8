using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AiFactory.Hub.Tests.Support;

/// <summary>A throw-away certificate authority with a server certificate for 127.0.0.1 and client certificates for edges, written to a temp folder.</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly RSA _caKey = RSA.Create(2048);

    public TestCertificates()
    {
        Folder = Directory.CreateTempSubdirectory("aifactory-tls-").FullName;
        var request = new CertificateRequest("CN=AiFactory test edge authority", _caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(AuthorityPem, Authority.ExportCertificatePem());

        using var serverKey = RSA.Create(2048);
        var server = Issue(serverKey, "127.0.0.1", "1.3.6.1.5.5.7.3.1", san: true);
        File.WriteAllText(ServerPem, server.ExportCertificatePem());
        File.WriteAllText(ServerKeyPem, serverKey.ExportPkcs8PrivateKeyPem());
        Server = X509CertificateLoader.LoadPkcs12(server.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pkcs12, "pfx-pass"), "pfx-pass");
        File.WriteAllBytes(ServerPfx, Server.Export(X509ContentType.Pkcs12, "pfx-pass"));
    }

    public string Folder { get; }

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Server { get; }

    public string AuthorityPem => Path.Combine(Folder, "edge-ca.pem");

    public string ServerPem => Path.Combine(Folder, "hub.pem");

    public string ServerKeyPem => Path.Combine(Folder, "hub.key");

    public string ServerPfx => Path.Combine(Folder, "hub.pfx");

    /// <summary>A client certificate (with its key) whose subject CN is <paramref name="edgeId"/>, issued by this authority.</summary>
    public X509Certificate2 Edge(string edgeId)
    {
        using var key = RSA.Create(2048);
        var certificate = Issue(key, edgeId, "1.3.6.1.5.5.7.3.2", san: false);
        return X509CertificateLoader.LoadPkcs12(certificate.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>An HTTPS client that trusts only this authority's server certificate and presents <paramref name="client"/>, if any.</summary>
    public HttpClient Client(Uri address, string key, X509Certificate2? client = null)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == Server.Thumbprint,
            ClientCertificateOptions = ClientCertificateOption.Manual,
        };
        if (client is not null)
        {
            handler.ClientCertificates.Add(client);
        }

        var http = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    public void Dispose()
    {
        _caKey.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private X509Certificate2 Issue(RSA key, string name, string usage, bool san)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (san)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        return request.Create(Authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), RandomNumberGenerator.GetBytes(8));
    }
}
