namespace AiFactory.Hub.Cluster;

/// <summary>The hub's Orleans silo (configuration section <c>Hub:Silo</c>).</summary>
public sealed class SiloOptions
{
    public const string Section = "Hub:Silo";

    /// <summary>Silo-to-silo port on 127.0.0.1; 0 (the default) takes a free port at start, so several hubs on one machine never collide.</summary>
    public int SiloPort { get; set; }

    /// <summary>Port for external Orleans clients; 0 (the default) opens no gateway: the hub's own HTTP endpoints are its only clients.</summary>
    public int GatewayPort { get; set; }

    /// <summary>Silos with the same cluster id form one cluster.</summary>
    public string ClusterId { get; set; } = "aifactory-hub";

    /// <summary>Stays the same across deployments of this hub (grain identity and storage are scoped by it).</summary>
    public string ServiceId { get; set; } = "aifactory";

    /// <summary>Every problem, naming its configuration key; empty when valid.</summary>
    public IReadOnlyList<string> Problems()
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

        return problems;
    }
}
