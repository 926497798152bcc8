namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>The outbox file cannot be used for a reason other than corruption (permissions, a locked file, a full disk).</summary>
public sealed class OutboxException : Exception
{
    public OutboxException()
    {
    }

    public OutboxException(string message)
        : base(message)
    {
    }

    public OutboxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
