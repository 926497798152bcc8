using AiFactory.Edge.Core.Models;
using AiFactory.Onnx;

namespace AiFactory.Edge.Cli;

/// <summary>Turns the errors a user can cause (bad model folder, card, input) into one clear message and exit code 2.</summary>
internal static class CliErrors
{
    public static async Task<int> GuardAsync(TextWriter console, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AiFactory.Edge.Config.EdgeConfigException or ModelCardException or OnnxRuntimeException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException or AiFactory.Edge.Uplink.Outbox.OutboxException)
        {
            await console.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (OperationCanceledException)
        {
            await console.WriteLineAsync("stopped").ConfigureAwait(false);
            return 130;
        }
    }
}
