namespace AiFactory.Edge.Core.Batching;

/// <summary>A frame refused before it joined a batch; the message names the model and the problem.</summary>
public sealed class FrameRejectedException : Exception
{
    public FrameRejectedException(string model, RejectionReason reason, string problem)
        : base($"model '{model}': {problem}")
    {
        Model = model;
        Reason = reason;
    }

    public FrameRejectedException()
    {
        Model = string.Empty;
    }

    public FrameRejectedException(string message)
        : base(message)
    {
        Model = string.Empty;
    }

    public FrameRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Model = string.Empty;
    }

    public string Model { get; }

    public RejectionReason Reason { get; }
}
