namespace AiFactory.Edge.Live;

/// <summary>What a configuration reload changed.</summary>
internal sealed class ReloadOutcome
{
    public List<string> SourcesAdded { get; } = [];

    public List<string> SourcesRestarted { get; } = [];

    public List<string> SourcesRemoved { get; } = [];

    public List<string> StationsAdded { get; } = [];

    public List<string> StationsRestarted { get; } = [];

    public List<string> StationsRemoved { get; } = [];

    /// <summary>The edge or uplink sections changed: they apply at the next start.</summary>
    public bool NeedsRestart { get; set; }

    /// <summary>The outputs section changed: the verdict publisher and PLC writer were replaced.</summary>
    public bool OutputsRestarted { get; set; }

    public override string ToString()
    {
        var parts = new List<string>();
        void Add(string what, List<string> names)
        {
            if (names.Count > 0)
            {
                parts.Add($"{what} {string.Join(", ", names)}");
            }
        }

        Add("sources added:", SourcesAdded);
        Add("sources restarted:", SourcesRestarted);
        Add("sources removed:", SourcesRemoved);
        Add("stations added:", StationsAdded);
        Add("stations restarted:", StationsRestarted);
        Add("stations removed:", StationsRemoved);
        if (OutputsRestarted)
        {
            parts.Add("outputs restarted");
        }

        return parts.Count == 0 ? "nothing changed" : string.Join("; ", parts);
    }
}
