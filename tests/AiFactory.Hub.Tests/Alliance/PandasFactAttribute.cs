using System.Diagnostics;

namespace AiFactory.Hub.Tests.Alliance;

/// <summary>A fact that needs Debian's python3-pandas (the models' readers); skipped, saying why, when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PandasFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(() =>
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import pandas"]) { RedirectStandardError = true })!;
            p.WaitForExit(30_000);
            return p.ExitCode == 0 ? null : "python3-pandas is not installed (bash deploy/test.sh installs it)";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"/usr/bin/python3 cannot run: {ex.Message}";
        }
    });

    public PandasFactAttribute()
    {
        if (Missing.Value is { } why)
        {
            Skip = why;
        }
    }
}
