namespace AiFactory.Hub.Tls;

/// <summary>
/// HTTPS on Kestrel (configuration section <c>Hub:Tls</c>), used by every <c>https://</c> address in <c>--urls</c>, and
/// optional client certificates for edges.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>The server certificate: a PEM file (with <see cref="KeyPath"/>) or a PFX/PKCS#12 file (with <see cref="Password"/> if it has one).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>; empty for a PFX or a PEM file that holds the key too.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PFX file's password, if any.</summary>
    public string? Password { get; set; }

    /// <summary>The PEM certificate of the authority that issues edge certificates; a client certificate must chain to it.</summary>
    public string? ClientCaPath { get; set; }

    /// <summary>
    /// When true, an edge key is accepted only on a connection whose client certificate (issued by
    /// <see cref="ClientCaPath"/>) names that edge as its subject CN: a stolen key alone cannot upload.
    /// </summary>
    public bool RequireEdgeCertificate { get; set; }

    /// <summary>True when a server certificate is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>The problems of these settings, each naming its key.</summary>
    public IEnumerable<string> Problems()
    {
        if (Enabled && !File.Exists(CertificatePath))
        {
            yield return $"Hub:Tls:CertificatePath '{CertificatePath}' does not exist.";
        }

        if (!string.IsNullOrWhiteSpace(KeyPath) && !File.Exists(KeyPath))
        {
            yield return $"Hub:Tls:KeyPath '{KeyPath}' does not exist.";
        }

        if (!string.IsNullOrWhiteSpace(ClientCaPath) && !File.Exists(ClientCaPath))
        {
            yield return $"Hub:Tls:ClientCaPath '{ClientCaPath}' does not exist.";
        }

        if (RequireEdgeCertificate && (!Enabled || string.IsNullOrWhiteSpace(ClientCaPath)))
        {
            yield return "Hub:Tls:RequireEdgeCertificate needs Hub:Tls:CertificatePath and Hub:Tls:ClientCaPath (client certificates travel only over HTTPS, checked against that authority).";
        }
    }
}
