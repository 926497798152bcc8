using System.Net;
using Orleans.Configuration;
using Orleans.Hosting;

namespace AiFactory.Hub.Cluster;

/// <summary>Joins a silo to its cluster as <see cref="ClusterSettings"/> say: localhost, or ADO.NET on PostgreSQL (optionally in Kubernetes).</summary>
public static class SiloClustering
{
    /// <summary>The ADO.NET invariant name Orleans maps to Npgsql's factory.</summary>
    public const string PostgresInvariant = "Npgsql";

    public static ISiloBuilder UseHubClustering(this ISiloBuilder silo, HubOptions options)
    {
        var cluster = options.Cluster;
        if (cluster.Clustering == ClusteringMode.Localhost)
        {
            return silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, primarySiloEndpoint: null, cluster.ServiceId, cluster.ClusterId);
        }

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: cluster.Kubernetes);
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgresInvariant;
            o.ConnectionString = options.Database.ConnectionString;
        });
        if (cluster.Kubernetes)
        {
            // Pod name, IP and the orleans/clusterId and orleans/serviceId labels replace the settings above; the
            // agent also deletes pods of silos the cluster has declared dead.
            silo.UseKubernetesHosting();
        }

        return silo;
    }
}
