using System.Net;
using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Cluster;

/// <summary>The hub's Orleans silo (configuration section <c>Hub:Silo</c>).</summary>
public sealed class SiloOptions
{
    public const string Section = "Hub:Silo";

    /// <summary>Silo-to-silo port (on 127.0.0.1, or AdvertisedAddress with AdoNet clustering); 0 (the default) takes a free port at start, so several hubs on one machine never collide.</summary>
    public int SiloPort { get; set; }

    /// <summary>Port for external Orleans clients; 0 (the default) opens no gateway: the hub's own HTTP endpoints are its only clients.</summary>
    public int GatewayPort { get; set; }

    /// <summary>Silos with the same cluster id form one cluster.</summary>
    public string ClusterId { get; set; } = "aifactory-hub";

    /// <summary>Stays the same across deployments of this hub (grain identity and storage are scoped by it).</summary>
    public string ServiceId { get; set; } = "aifactory";

    /// <summary><c>Localhost</c> (default, one silo) or <c>AdoNet</c> (membership in the hub's PostgreSQL: several silos).</summary>
    public ClusteringMode Clustering { get; set; } = ClusteringMode.Localhost;

    /// <summary>The address other silos reach this one on (AdoNet clustering); on Kubernetes the pod's IP wins.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Running in a Kubernetes pod (Microsoft.Orleans.Hosting.Kubernetes: pod name, IP and labels; deploy/k8s/).</summary>
    public bool Kubernetes { get; set; }

    /// <summary>Serve the Orleans Dashboard under <see cref="DashboardPath"/> to hub-admin keys only.</summary>
    public bool Dashboard { get; set; } = true;

    public string DashboardPath { get; set; } = "/dashboard";

    /// <summary>Every problem, naming its configuration key; empty when valid.</summary>
    /// <param name="database">The hub's database settings: AdoNet clustering needs PostgreSQL.</param>
    public IReadOnlyList<string> Problems(DatabaseSettings database)
    {
        var problems = new List<string>();
        if (SiloPort is < 0 or > 65535)
        {
            problems.Add($"{Section}:SiloPort {SiloPort} is outside 0..65535 (0 takes a free port).");
        }

        if (GatewayPort is < 0 or > 65535)
        {
            problems.Add($"{Section}:GatewayPort {GatewayPort} is outside 0..65535 (0 opens no gateway).");
        }

        if (SiloPort != 0 && SiloPort == GatewayPort)
        {
            problems.Add($"{Section}:SiloPort and GatewayPort are both {SiloPort}; they must differ.");
        }

        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            problems.Add($"{Section}:ClusterId is empty.");
        }

        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            problems.Add($"{Section}:ServiceId is empty.");
        }

        problems.AddRange(ClusteringProblems(database));
        return problems;
    }

    private IEnumerable<string> ClusteringProblems(DatabaseSettings database)
    {
        if (!Enum.IsDefined(Clustering))
        {
            yield return $"{Section}:Clustering '{Clustering}' is not Localhost or AdoNet.";
        }

        if (Clustering == ClusteringMode.AdoNet && database.Provider != DatabaseProvider.PostgreSql)
        {
            yield return $"{Section}:Clustering AdoNet keeps the cluster's membership in the hub's database, which must be PostgreSql (Hub:Database:Provider is {database.Provider}).";
        }

        if (Kubernetes && Clustering != ClusteringMode.AdoNet)
        {
            yield return $"{Section}:Kubernetes needs {Section}:Clustering AdoNet: pods find each other through the membership table.";
        }

        // The membership table's DeploymentId column (Orleans' PostgreSQL-Clustering.sql) is varchar(150).
        if (ClusterId.Length > 150)
        {
            yield return $"{Section}:ClusterId has {ClusterId.Length} characters; the membership table takes 150.";
        }

        if (!IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return $"{Section}:AdvertisedAddress '{AdvertisedAddress}' is not an IP address.";
        }

        if (!DashboardPath.StartsWith('/') || DashboardPath.Length < 2 || DashboardPath.StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{Section}:DashboardPath '{DashboardPath}' must start with '/' and lie outside /api/.";
        }
    }
}
