using System.Diagnostics;
using System.Text.Json;

namespace AiFactory.Edge.Replay;

/// <summary>Runs a model card's baseline script (e.g. scikit-learn's RandomForest on the same split) and reads its one JSON line.</summary>
public static class BaselineRunner
{
    public static async Task<(string Name, double Accuracy, double MacroF1)?> RunAsync(string script, string data, string card, TextWriter log, CancellationToken cancellationToken)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { script, "--data", data, "--card", card })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                await log.WriteLineAsync($"baseline '{script}' exited with {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}").ConfigureAwait(false);
                return null;
            }

            var line = (await stdout.ConfigureAwait(false)).Trim().Split('\n')[^1];
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            return (root.GetProperty("name").GetString() ?? "baseline", root.GetProperty("accuracy").GetDouble(), root.GetProperty("macro_f1").GetDouble());
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            await log.WriteLineAsync($"baseline '{script}' could not run with {python}: {ex.Message} (it needs Debian's python3-sklearn, python3-pandas, python3-yaml)").ConfigureAwait(false);
            return null;
        }
    }
}
