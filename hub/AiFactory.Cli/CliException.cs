namespace AiFactory.Cli;

/// <summary>A command that cannot go on: its message names the option, file or answer, and the exit code says whose fault (2: the command line, 1: the hub refused).</summary>
public sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CliException()
    {
    }

    public CliException(string message)
        : this(2, message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = 2;
    }

    public int ExitCode { get; } = 2;
}
