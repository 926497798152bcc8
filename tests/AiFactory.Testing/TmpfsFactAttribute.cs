using Xunit;

namespace AiFactory.Testing;

/// <summary>A fact that mounts a <see cref="TmpfsMount"/> (a full disk of its own), which needs root; skipped, saying why, without it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "mounting a tmpfs needs root (the test command runs as root in CI)";
        }
    }
}
