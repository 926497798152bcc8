using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace AiFactory.Hub.Tls;

/// <summary>Loads the configured certificates and sets Kestrel's HTTPS defaults: the server certificate, and client certificates checked against the edge authority.</summary>
public static class HubTls
{
    public static void UseHubTls(this WebApplicationBuilder builder, TlsOptions options)
    {
        if (!options.Enabled || options.Problems().Any())
        {
            // Problems stop the hub at start through HubOptionsValidator, with every key named.
            return;
        }

        var server = LoadServerCertificate(options);
        var authority = string.IsNullOrWhiteSpace(options.ClientCaPath) ? null : X509CertificateLoader.LoadCertificateFromFile(options.ClientCaPath);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = server;
            if (authority is not null)
            {
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => IssuedBy(certificate, authority);
            }
        }));
    }

    /// <summary>The server certificate with its private key, from PEM (certificate and key) or PFX.</summary>
    public static X509Certificate2 LoadServerCertificate(TlsOptions options)
    {
        var path = options.CertificatePath!;
        if (path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, options.Password);
        }

        using var pem = string.IsNullOrWhiteSpace(options.KeyPath) ? X509Certificate2.CreateFromPemFile(path) : X509Certificate2.CreateFromPemFile(path, options.KeyPath);

        // A PEM key is ephemeral; TLS on some platforms needs it in a PKCS#12 round trip.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>True when the certificate chains to the edge authority alone (no system roots) and is within its validity.</summary>
    public static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")); // client authentication
        return chain.Build(certificate);
    }
}
