using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AiFactory.Hub.Tls;

namespace AiFactory.Hub.Dashboard;

/// <summary>Loads the certificate that encrypts the data-protection keys at rest (<see cref="DashboardOptions.KeyRingCertificatePath"/>).</summary>
public static class KeyRingCertificate
{
    /// <summary>
    /// The certificate with its RSA private key; null when none is configured or its file is missing (the options
    /// validator stops the hub for that, naming the key). A file that is not a usable certificate is an error naming it.
    /// </summary>
    public static X509Certificate2? Load(DashboardOptions options)
    {
        var path = options.KeyRingCertificatePath;
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path) || (!string.IsNullOrWhiteSpace(options.KeyRingKeyPath) && !File.Exists(options.KeyRingKeyPath)))
        {
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = HubTls.LoadServerCertificate(new TlsOptions { CertificatePath = path, KeyPath = options.KeyRingKeyPath, Password = options.KeyRingPassword });
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException($"{DashboardOptions.Section}:KeyRingCertificatePath '{path}' could not be loaded: {ex.Message}", ex);
        }

        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is null)
        {
            certificate.Dispose();
            throw new InvalidOperationException(
                $"{DashboardOptions.Section}:KeyRingCertificatePath '{path}' has no RSA private key: the key ring is encrypted with RSA, and reading it back needs the private key.");
        }

        return certificate;
    }
}
