namespace AiFactory.Cli;

/// <summary>
/// Where the hub is and whose key speaks to it: <c>--hub</c> / <c>AIFACTORY_HUB</c> (default <see cref="DefaultHub"/>)
/// and <c>--api-key</c> / <c>AIFACTORY_API_KEY</c>.
/// </summary>
public sealed record HubConnection(Uri Hub, string ApiKey)
{
    public const string DefaultHub = "http://127.0.0.1:5080/";

    public const string HubVariable = "AIFACTORY_HUB";

    public const string KeyVariable = "AIFACTORY_API_KEY";
}
