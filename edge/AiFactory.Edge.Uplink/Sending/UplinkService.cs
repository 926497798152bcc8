using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Uplink.Sending;

/// <summary>
/// Drains the outbox to the hub for as long as the agent runs: batch after batch while records wait, a look
/// every <see cref="UplinkOptions.IdlePoll"/> when none do, and after a failure an exponential backoff with
/// full jitter (a Retry-After from the hub is honoured), cut short when the hub's /health/live answers again.
/// Failures are logged at most once a minute per kind.
/// </summary>
public sealed class UplinkService(UplinkSender sender, UplinkOptions options, ILogger<UplinkService> log, TimeProvider? time = null, Random? random = null) : BackgroundService
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Backoff _backoff = new(options.BackoffBase, options.BackoffCap, random);
    private readonly LogRateLimiter _limiter = new(time ?? TimeProvider.System, TimeSpan.FromMinutes(1));
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private UplinkResponse? _lastFailure;

    /// <summary>The last failure, null once a batch went through.</summary>
    public UplinkResponse? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>Wakes the loop when it is idle (new records were committed).</summary>
    public void Nudge() => Volatile.Read(ref _wake).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            UplinkStep step;
            try
            {
                step = await sender.SendNextAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException)
            {
                step = new UplinkStep(UplinkStepKind.Failed, 0, 0, new UplinkResponse(UplinkResponseKind.Unexpected, 0, null, $"outbox: {ex.Message}"));
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Nothing may end this loop but the agent's stop: it alone drains the outbox, and a loop that died
                // would leave every record waiting, silently. Logged with its exception, then backed off like a failure.
                step = new UplinkStep(UplinkStepKind.Failed, 0, 0, new UplinkResponse(UplinkResponseKind.Retry, 0, null, $"uplink step failed: {ex.GetType().Name}: {ex.Message}"));
                StepFailed(ex);
            }

            try
            {
                switch (step.Kind)
                {
                    case UplinkStepKind.Idle:
                        _backoff.Reset();
                        await IdleAsync(stoppingToken).ConfigureAwait(false);
                        break;
                    case UplinkStepKind.Progress:
                        _backoff.Reset();
                        Volatile.Write(ref _lastFailure, null);
                        break;
                    default:
                        Volatile.Write(ref _lastFailure, step.Failure);
                        await BackOffAsync(step.Failure!, stoppingToken).ConfigureAwait(false);
                        break;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                StepFailed(ex);
                await Task.Delay(options.BackoffCap < options.BackoffBase ? options.BackoffCap : options.BackoffBase, _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void StepFailed(Exception ex)
    {
        if (_limiter.TryEnter("step", out var held))
        {
            UplinkLog.StepFailed(log, ex, options.IngestUrl.ToString(), held);
        }
    }

    private async Task IdleAsync(CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var wake = Volatile.Read(ref _wake);
        var poll = Task.Delay(options.IdlePoll, _time, wait.Token);
        await Task.WhenAny(wake.Task, poll).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();
        if (wake.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), wake);
        }
    }

    /// <summary>
    /// Waits out the backoff. When the hub was unreachable or failing (5xx without Retry-After; a 429 or 408 is the hub
    /// asking for less, not a hub that is down), its /health/live is asked every
    /// <see cref="UplinkOptions.HealthProbe"/> meanwhile, and the wait ends as soon as it answers: after a long outage the
    /// backoff may have grown to minutes, and the plant should not wait them out once the hub is back.
    /// </summary>
    private async Task BackOffAsync(UplinkResponse failure, CancellationToken stoppingToken)
    {
        var delay = Delay(failure);
        var period = options.HealthProbe;
        if (failure is not { Kind: UplinkResponseKind.Retry, RetryAfter: null, Status: 0 or >= 500 } || period <= TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            return;
        }

        var start = _time.GetTimestamp();
        while (true)
        {
            var left = delay - _time.GetElapsedTime(start);
            if (left <= period)
            {
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left, _time, stoppingToken).ConfigureAwait(false);
                }

                return;
            }

            await Task.Delay(period, _time, stoppingToken).ConfigureAwait(false);
            if (await sender.HubAnswersAsync(period, stoppingToken).ConfigureAwait(false))
            {
                UplinkLog.HubAnswers(log, options.HealthUrl.ToString(), (long)_time.GetElapsedTime(start).TotalMilliseconds, (long)(delay - _time.GetElapsedTime(start)).TotalMilliseconds);
                return;
            }
        }
    }

    private TimeSpan Delay(UplinkResponse failure)
    {
        var delay = _backoff.Next();
        if (failure.RetryAfter is { } after && after > delay)
        {
            delay = after < options.BackoffCap ? after : options.BackoffCap;
        }

        var hub = options.IngestUrl.ToString();
        var ms = (long)delay.TotalMilliseconds;
        if (_limiter.TryEnter(failure.Kind.ToString(), out var held))
        {
            switch (failure.Kind)
            {
                case UplinkResponseKind.KeyRefused:
                    UplinkLog.KeyRefused(log, hub, failure.Status, failure.Detail, ms, held);
                    break;
                case UplinkResponseKind.Retry:
                    UplinkLog.Retrying(log, hub, failure.Detail, ms, held);
                    break;
                default:
                    UplinkLog.Unexpected(log, hub, failure.Status, failure.Detail, ms, held);
                    break;
            }
        }

        return delay;
    }
}
