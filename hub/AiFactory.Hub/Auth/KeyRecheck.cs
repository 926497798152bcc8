using AiFactory.Hub.Tenancy;
using Microsoft.Extensions.Logging;

namespace AiFactory.Hub.Auth;

/// <summary>
/// The key check of something that stays open (a dashboard page, a live stream), made again as it goes on: a key
/// revoked or changed since ends it; a check that cannot be made (the database out of reach for a moment) keeps it, so
/// a control-room screen stays up, and the next check decides.
/// </summary>
public static partial class KeyRecheck
{
    /// <summary>False when the key no longer stands; true when it does, or when the check failed (logged, naming <paramref name="what"/>).</summary>
    public static async Task<bool> StillStandsAsync(TenancyStore tenancy, HubCaller caller, ILogger log, string what, CancellationToken ct)
    {
        try
        {
            return await tenancy.KeyStandsAsync(caller, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            LogCheckFailed(log, ex, what);
            return true;
        }
    }

    [LoggerMessage(EventId = 1532, Level = LogLevel.Warning, Message = "Could not check the key of {What}; it stays open and is checked again at the next refresh")]
    private static partial void LogCheckFailed(ILogger log, Exception ex, string what);
}
