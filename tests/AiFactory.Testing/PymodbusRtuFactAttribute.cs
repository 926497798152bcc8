using Xunit;

namespace AiFactory.Testing;

/// <summary>A fact that needs Debian's python3-pymodbus and socat (an RTU slave on a pty pair); skipped, saying why, when either is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PymodbusRtuFactAttribute : FactAttribute
{
    public PymodbusRtuFactAttribute()
    {
        if ((PymodbusServer.Missing ?? SocatPtyPair.Missing) is { } why)
        {
            Skip = why;
        }
    }
}
