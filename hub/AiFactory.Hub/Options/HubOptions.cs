using AiFactory.Hub.Ingest;
using AiFactory.Hub.Storage;

namespace AiFactory.Hub;

/// <summary>The hub's settings (configuration section <c>Hub</c>; environment variables <c>Hub__Database__Provider</c> …).</summary>
public sealed class HubOptions
{
    public const string Section = "Hub";

    public DatabaseSettings Database { get; set; } = new();

    public IngestLimits Ingest { get; set; } = new();

    /// <summary>Optional InfluxDB time-series output (off without a Url).</summary>
    public Influx.InfluxOptions Influx { get; set; } = new();

    /// <summary>An edge not heard from for this long is shown offline.</summary>
    public TimeSpan EdgeOfflineAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Optional: a hub-admin key (as printed by <c>aifactory-hub admin key --role hub-admin</c> on another hub, or any
    /// <c>aif_&lt;id&gt;_&lt;secret&gt;</c> you generate) registered at start if its id is not yet known; only its hash is stored.
    /// </summary>
    public string? BootstrapAdminKey { get; set; }
}
