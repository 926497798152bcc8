using Xunit;

namespace AiFactory.Testing;

/// <summary>A fact that needs socat and Debian's python3-pymodbus; skipped, saying why, when they are absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PymodbusRtuFactAttribute : FactAttribute
{
    public PymodbusRtuFactAttribute()
    {
        if (PymodbusRtuSlave.Missing is { } why)
        {
            Skip = why;
        }
    }
}
