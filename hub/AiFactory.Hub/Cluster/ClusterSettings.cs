using System.Net;
using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Cluster;

/// <summary>The hub's Orleans silo: clustering, identity, endpoints, dashboard (section <c>Hub:Cluster</c>).</summary>
public sealed class ClusterSettings
{
    /// <summary><c>Localhost</c> (default, one silo) or <c>AdoNet</c> (membership in the hub's PostgreSQL).</summary>
    public ClusteringMode Clustering { get; set; } = ClusteringMode.Localhost;

    /// <summary>Silos with the same ClusterId form one cluster; a new id starts a new cluster over the same data.</summary>
    public string ClusterId { get; set; } = "aifactory";

    /// <summary>Stays the same across deployments: Orleans keys grain storage by it.</summary>
    public string ServiceId { get; set; } = "aifactory-hub";

    /// <summary>Silo-to-silo port; every silo on one host needs its own.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port; every silo on one host needs its own.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one on (AdoNet clustering); on Kubernetes the pod's IP wins.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Running in a Kubernetes pod (Microsoft.Orleans.Hosting.Kubernetes: pod name, IP and labels; deploy/k8s/).</summary>
    public bool Kubernetes { get; set; }

    /// <summary>Serve the Orleans Dashboard under <see cref="DashboardPath"/> to hub-admin keys only.</summary>
    public bool Dashboard { get; set; } = true;

    public string DashboardPath { get; set; } = "/dashboard";

    /// <summary>Every problem, naming its configuration key; empty when the settings can start a silo.</summary>
    public IEnumerable<string> Problems(DatabaseSettings database)
    {
        if (!Enum.IsDefined(Clustering))
        {
            yield return $"Hub:Cluster:Clustering '{Clustering}' is not Localhost or AdoNet.";
        }

        if (Clustering == ClusteringMode.AdoNet && database.Provider != DatabaseProvider.PostgreSql)
        {
            yield return $"Hub:Cluster:Clustering AdoNet keeps the cluster's membership in the hub's database, which must be PostgreSql (Hub:Database:Provider is {database.Provider}).";
        }

        if (Kubernetes && Clustering != ClusteringMode.AdoNet)
        {
            yield return "Hub:Cluster:Kubernetes needs Hub:Cluster:Clustering AdoNet: pods find each other through the membership table.";
        }

        foreach (var (key, value) in new[] { ("ClusterId", ClusterId), ("ServiceId", ServiceId) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > 150)
            {
                yield return $"Hub:Cluster:{key} '{value}' must have 1 to 150 characters.";
            }
        }

        if (SiloPort is < 1 or > 65535)
        {
            yield return $"Hub:Cluster:SiloPort {SiloPort} is outside 1..65535.";
        }

        if (GatewayPort is < 1 or > 65535)
        {
            yield return $"Hub:Cluster:GatewayPort {GatewayPort} is outside 1..65535.";
        }
        else if (GatewayPort == SiloPort)
        {
            yield return $"Hub:Cluster:GatewayPort {GatewayPort} is also the SiloPort.";
        }

        if (!IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return $"Hub:Cluster:AdvertisedAddress '{AdvertisedAddress}' is not an IP address.";
        }

        if (!DashboardPath.StartsWith('/') || DashboardPath.Length < 2 || DashboardPath.StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"Hub:Cluster:DashboardPath '{DashboardPath}' must start with '/' and lie outside /api/.";
        }
    }
}
