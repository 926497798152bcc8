namespace AiFactory.Edge.Sources.Serial;

/// <summary>Words for System.IO.Ports' exceptions: the operating system's reason where it kept one.</summary>
internal static class SerialPortErrors
{
    public static string Describe(Exception ex) => ex switch
    {
        // On Linux every failed open is "Access to the port is denied", the OS's reason (if any) inside.
        UnauthorizedAccessException { InnerException: { } inner } when !inner.Message.StartsWith("Unknown error", StringComparison.Ordinal) => inner.Message,
        UnauthorizedAccessException => "access denied (System.IO.Ports gives no reason: check that the agent's user may open it, e.g. is in group dialout)",
        ObjectDisposedException => "the port closed under the reader (unplugged or hung up)",
        _ => ex.Message,
    };
}
