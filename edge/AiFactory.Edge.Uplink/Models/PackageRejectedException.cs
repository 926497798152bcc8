namespace AiFactory.Edge.Uplink.Models;

/// <summary>A package the edge will not run: where it failed (<c>download</c>, <c>verify</c>, <c>load</c>, <c>warm-up</c>) and why.</summary>
public sealed class PackageRejectedException : Exception
{
    public PackageRejectedException(string stage, string message)
        : base(message)
    {
        Stage = stage;
    }

    public PackageRejectedException()
    {
        Stage = "verify";
    }

    public PackageRejectedException(string message)
        : this("verify", message)
    {
    }

    public PackageRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Stage = "download";
    }

    public string Stage { get; }
}
