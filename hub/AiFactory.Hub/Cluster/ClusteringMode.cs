namespace AiFactory.Hub.Cluster;

/// <summary>How silos find each other (<c>Hub:Cluster:Clustering</c>).</summary>
public enum ClusteringMode
{
    /// <summary>One silo on this machine, no membership table: the single-node default.</summary>
    Localhost,

    /// <summary>Membership in the hub's PostgreSQL database (Orleans' ADO.NET clustering): several silos, one cluster.</summary>
    AdoNet,
}
