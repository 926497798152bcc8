using System.Net;
using Orleans.Configuration;
using Orleans.Hosting;

namespace AiFactory.Hub.Cluster;

/// <summary>Joins a silo to its cluster as <see cref="SiloOptions"/> say: localhost, or ADO.NET on PostgreSQL (optionally in Kubernetes).</summary>
public static class SiloClustering
{
    /// <summary>The ADO.NET invariant name Orleans maps to Npgsql's factory.</summary>
    public const string PostgresInvariant = "Npgsql";

    /// <param name="silo">The silo being built.</param>
    /// <param name="options">Clustering mode, ids, gateway port, advertised address, Kubernetes.</param>
    /// <param name="siloPort">The silo-to-silo port (options' SiloPort, or the free port taken for 0).</param>
    /// <param name="database">The hub's database: AdoNet clustering keeps its membership rows there.</param>
    public static ISiloBuilder UseHubClustering(this ISiloBuilder silo, SiloOptions options, int siloPort, DatabaseSettings database)
    {
        if (options.Clustering == ClusteringMode.Localhost)
        {
            return silo.UseLocalhostClustering(siloPort, options.GatewayPort, primarySiloEndpoint: null, options.ServiceId, options.ClusterId);
        }

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), siloPort, options.GatewayPort, listenOnAnyHostAddress: options.Kubernetes);
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgresInvariant;
            o.ConnectionString = database.ConnectionString;
        });
        if (options.Kubernetes)
        {
            // Pod name, IP and the orleans/clusterId and orleans/serviceId labels replace the settings above; the
            // agent also deletes pods of silos the cluster has declared dead.
            silo.UseKubernetesHosting();
        }

        return silo;
    }
}
