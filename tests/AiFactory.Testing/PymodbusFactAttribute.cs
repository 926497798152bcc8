using Xunit;

namespace AiFactory.Testing;

/// <summary>A fact that needs Debian's python3-pymodbus; skipped, saying why, when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PymodbusFactAttribute : FactAttribute
{
    public PymodbusFactAttribute()
    {
        if (PymodbusServer.Missing is { } why)
        {
            Skip = why;
        }
    }
}
