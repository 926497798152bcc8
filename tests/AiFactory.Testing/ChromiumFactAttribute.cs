using Xunit;

namespace AiFactory.Testing;

/// <summary>A fact that drives Debian's chromium (through Playwright); skipped, saying why, when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>The browser: <c>AIFACTORY_CHROMIUM</c>, or Debian's <c>/usr/bin/chromium</c>.</summary>
    public static string Path => Environment.GetEnvironmentVariable("AIFACTORY_CHROMIUM") ?? "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Path))
        {
            Skip = $"chromium is not installed at {Path} (apt-get install chromium, or set AIFACTORY_CHROMIUM)";
        }
    }
}
