using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>
/// The TLS material of a broker connection, read from PEM files: the CA that must have signed the broker's
/// certificate (the only trust anchor: the machine's store is not consulted), and an optional client certificate
/// with its key. Reading it is how the configuration checks the files, so a bad file is named before anything runs.
/// </summary>
public sealed class MqttTls : IDisposable
{
    private MqttTls(X509Certificate2 ca, X509Certificate2? client)
    {
        Ca = ca;
        Client = client;
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2? Client { get; }

    /// <summary>Reads the files; throws <see cref="InvalidDataException"/> naming the file and the problem.</summary>
    public static MqttTls Load(string caFile, string? certFile, string? keyFile)
    {
        var ca = Read(caFile, "CA file", () => X509Certificate2.CreateFromPem(File.ReadAllText(caFile)));
        if (certFile is null)
        {
            return new MqttTls(ca, null);
        }

        // Exported and read back as PKCS#12: a key read from PEM is ephemeral, which Windows' TLS cannot use.
        using var pem = Read(certFile, "client certificate", () => X509Certificate2.CreateFromPemFile(certFile, keyFile));
        if (!pem.HasPrivateKey)
        {
            throw new InvalidDataException($"client certificate '{certFile}': no private key (give key_file, or put the key in the same PEM file)");
        }

        return new MqttTls(ca, X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null));
    }

    /// <summary>Accepts the broker's certificate only if it chains to <see cref="Ca"/> and names the host connected to.</summary>
    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return chain.Build(presented);
    }

    public void Dispose()
    {
        Ca.Dispose();
        Client?.Dispose();
    }

    private static X509Certificate2 Read(string file, string what, Func<X509Certificate2> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new InvalidDataException($"{what} '{file}': {ex.Message}", ex);
        }
    }
}
