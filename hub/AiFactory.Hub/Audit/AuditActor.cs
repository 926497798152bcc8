namespace AiFactory.Hub.Audit;

/// <summary>Who made an admin change and through what.</summary>
/// <param name="Who">The API key id and role (<c>key 3fa2… (hub-admin)</c>), or the operating-system user of the CLI.</param>
/// <param name="Via"><c>api</c>, <c>cli</c> or <c>config</c> (the bootstrap key).</param>
public sealed record AuditActor(string Who, string Via)
{
    /// <summary>The user running <c>aifactory-hub admin …</c> on this machine.</summary>
    public static AuditActor Cli() => new($"{Environment.UserName}@{Environment.MachineName}", "cli");

    /// <summary>A request made with an API key.</summary>
    public static AuditActor Api(Tenancy.HubCaller caller) => new($"key {caller.KeyId} ({Tenancy.HubRoles.Name(caller.Role)})", "api");

    /// <summary>The hub itself, registering the bootstrap admin key from its configuration.</summary>
    public static AuditActor Configuration { get; } = new("Hub:BootstrapAdminKey", "config");
}
