namespace AiFactory.Edge.Config;

/// <summary>An unusable configuration: every problem, each naming file, line, key and a hint.</summary>
public sealed class EdgeConfigException : Exception
{
    public EdgeConfigException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public EdgeConfigException()
    {
        Problems = [];
    }

    public EdgeConfigException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public EdgeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; }
}
