namespace AiFactory.Hub.Deployments;

/// <summary>A station as deployments name it: <c>plant/line/station</c>.</summary>
public static class StationKey
{
    public static string Of(string plant, string line, string station) => $"{plant}/{line}/{station}";

    public static (string Plant, string Line, string Station) Split(string key)
    {
        var parts = key.Split('/');
        return (parts[0], parts[1], parts[2]);
    }
}
