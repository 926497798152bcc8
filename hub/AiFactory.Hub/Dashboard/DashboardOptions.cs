namespace AiFactory.Hub.Dashboard;

/// <summary>The plant engineers' dashboard (configuration section <c>Hub:Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string Section = "Hub:Dashboard";

    /// <summary>A session cookie is good this long after its last use (sliding), then the user signs in again.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Backlog, data quality and edge details on the line page are re-read this often (live KPIs come from the grains as they change).</summary>
    public TimeSpan DetailsRefresh { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A page shows at most one live snapshot per this interval (the latest; those between are skipped): a line's grain
    /// may publish ten a second under load, and each shown snapshot is a render sent to the browser.
    /// </summary>
    public TimeSpan RenderInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The time zone (IANA id) of a session whose browser sent none at sign-in (no JavaScript). Sessions otherwise show
    /// times in the browser's zone: on a plant PC, the plant's.
    /// </summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// The certificate whose RSA key encrypts the data-protection keys at rest in the database: a PEM file (with
    /// <see cref="KeyRingKeyPath"/>) or a PFX/PKCS#12 file (with <see cref="KeyRingPassword"/> if it has one). Every hub on
    /// the database needs the same certificate. Unset: the keys are stored unencrypted (Data Protection warns of each).
    /// </summary>
    public string? KeyRingCertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="KeyRingCertificatePath"/>; empty for a PFX or a PEM file that holds the key too.</summary>
    public string? KeyRingKeyPath { get; set; }

    /// <summary>The PFX file's password, if any.</summary>
    public string? KeyRingPassword { get; set; }

    /// <summary>The cultures the dashboard speaks; the first is the default when the browser asks for none of them.</summary>
    public static IReadOnlyList<string> Cultures { get; } = ["en", "ko"];
}
