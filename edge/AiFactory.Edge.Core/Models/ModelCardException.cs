namespace AiFactory.Edge.Core.Models;

/// <summary>A model card that cannot be used: every problem, each naming the file, the key and a hint.</summary>
public sealed class ModelCardException : Exception
{
    public ModelCardException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public ModelCardException()
    {
        Problems = [];
    }

    public ModelCardException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public ModelCardException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; }
}
