using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace AiFactory.Hub.Alarms;

/// <summary>
/// Sends the outbox's notices (<see cref="AlarmOutbox"/>) to the webhook (HTTP POST of JSON) and to MQTT (QoS 1): one
/// loop per target takes its oldest waiting notice, claims it for <see cref="ClaimLease"/> (so among several silos one
/// sends it), sends it and records the outcome. A failed try waits <c>RetryDelay</c>, doubling up to
/// <c>MaxRetryDelay</c>, and the target's later notices wait behind it, so each target sees an alarm's notices in order.
/// After <c>DeliveryAttempts</c> tries the notice is given up: counted, logged and kept as failed. Delivery is at
/// least once (a silo killed between sending and recording sends again after the lease): receivers drop a notice id
/// they have seen.
/// </summary>
public sealed partial class AlarmDelivery : BackgroundService
{
    private readonly AlarmOutbox _outbox;
    private readonly AlarmOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<AlarmDelivery> _log;
    private readonly Meter _meter = new("AiFactory.Hub.Alarms");
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly string _instance = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private IMqttClient? _mqtt;

    public AlarmDelivery(AlarmOutbox outbox, IOptions<AlarmOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<AlarmDelivery> log)
    {
        _lifetime = lifetime;
        _outbox = outbox;
        _options = options.Value;
        _time = time;
        _log = log;
        _http = new HttpClient { Timeout = _options.DeliveryTimeout };
        _sent = _meter.CreateCounter<long>("aifactory.hub.alarms.delivered", description: "Alarm notices delivered, by target");
        _failed = _meter.CreateCounter<long>("aifactory.hub.alarms.undelivered", description: "Alarm notices given up, by target");
    }

    /// <summary>How long a claimed notice is this silo's alone: two sending timeouts, then another silo may take it.</summary>
    public TimeSpan ClaimLease => _options.DeliveryTimeout * 2;

    public override void Dispose()
    {
        _http.Dispose();
        _mqtt?.Dispose();
        _meter.Dispose();
        base.Dispose();
    }

    /// <summary>The MQTT topic of a notice: the prefix, then its company, plant, line and (station rules) station.</summary>
    public string Topic(OutboxNotice notice) =>
        $"{_options.MqttTopic}/{notice.CompanyId}/{notice.PlantId}/{notice.LineId}" + (notice.StationId is null ? string.Empty : "/" + notice.StationId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The outbox is read once the hub has started, i.e. after the migrations ran.
        var started = new TaskCompletionSource();
        using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var loops = new List<Task> { PruneAsync(stoppingToken) };
        if (_options.WebhookUrl is { } url)
        {
            loops.Add(RunAsync(AlarmOutbox.Webhook, (n, ct) => PostAsync(url, n, ct), stoppingToken));
        }

        if (_options.MqttHost is { } host)
        {
            loops.Add(RunAsync(AlarmOutbox.Mqtt, (n, ct) => PublishAsync(host, n, ct), stoppingToken));
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private async Task RunAsync(string target, Func<OutboxNotice, CancellationToken, Task> send, CancellationToken stopping)
    {
        await Task.Yield(); // each target's loop on its own, however quickly SQLite answers
        while (!stopping.IsCancellationRequested)
        {
            var added = _outbox.NextAdded();
            TimeSpan wait;
            try
            {
                wait = await StepAsync(target, send, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogOutboxFailed(_log, ex, target);
                wait = _options.PollInterval;
            }

            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.WhenAny(added, Task.Delay(wait, _time, stopping)).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Sends the target's oldest waiting notice if it is due and free; answers how long to wait before looking again.</summary>
    private async Task<TimeSpan> StepAsync(string target, Func<OutboxNotice, CancellationToken, Task> send, CancellationToken stopping)
    {
        var now = _time.GetUtcNow();
        if (await _outbox.OldestWaitingAsync(target, stopping).ConfigureAwait(false) is not { } notice)
        {
            return _options.PollInterval;
        }

        var busyUntil = notice.ClaimedUntil is { } claimed && claimed > notice.NextUtc ? claimed : notice.NextUtc;
        if (busyUntil > now)
        {
            return Min(busyUntil - now, _options.PollInterval);
        }

        if (!await _outbox.ClaimAsync(notice.Seq, _instance, now, now + ClaimLease, stopping).ConfigureAwait(false))
        {
            return _options.PollInterval;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(_options.DeliveryTimeout);
            await send(notice, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && stopping.IsCancellationRequested)
        {
            await _outbox.ReleaseAsync(notice.Seq, _instance, CancellationToken.None).ConfigureAwait(false);
            throw new OperationCanceledException("stopping", ex, stopping);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var attempts = notice.Attempts + 1;
            var problem = ex is OperationCanceledException ? $"no answer within {_options.DeliveryTimeout}" : ex.Message;
            if (attempts >= _options.DeliveryAttempts)
            {
                await _outbox.GiveUpAsync(notice.Seq, _instance, _time.GetUtcNow(), problem, CancellationToken.None).ConfigureAwait(false);
                _failed.Add(1, new KeyValuePair<string, object?>("target", target));
                LogGivenUp(_log, ex, notice.Event, notice.AlarmId, notice.Id, target, attempts);
                return TimeSpan.Zero;
            }

            var delay = Min(_options.RetryDelay * Math.Pow(2, Math.Min(attempts - 1, 30)), _options.MaxRetryDelay);
            await _outbox.RetryLaterAsync(notice.Seq, _instance, _time.GetUtcNow() + delay, problem, CancellationToken.None).ConfigureAwait(false);
            LogRetry(_log, notice.Event, notice.AlarmId, notice.Id, target, attempts, problem, delay);
            return delay;
        }

        await _outbox.DeliveredAsync(notice.Seq, _instance, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        _sent.Add(1, new KeyValuePair<string, object?>("target", target));
        return TimeSpan.Zero;
    }

    private async Task PruneAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), _time);
        try
        {
            do
            {
                try
                {
                    await _outbox.PruneAsync(_time.GetUtcNow() - _options.KeepNotices, stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException && !stopping.IsCancellationRequested)
                {
                    LogOutboxFailed(_log, ex, "prune");
                }
            }
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task PostAsync(Uri url, OutboxNotice notice, CancellationToken ct)
    {
        using var content = new StringContent(notice.Body, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Add("X-AiFactory-Notice", notice.Id);
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"webhook {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }

    private async Task PublishAsync(string host, OutboxNotice notice, CancellationToken ct)
    {
        if (_mqtt is not { IsConnected: true })
        {
            _mqtt?.Dispose();
            _mqtt = new MqttClientFactory().CreateMqttClient();
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer(host, _options.MqttPort)
                .WithClientId($"aifactory-hub-alarms-{Environment.ProcessId}-{Guid.NewGuid():N}")
                .Build();
            await _mqtt.ConnectAsync(options, ct).ConfigureAwait(false);
        }

        var topic = Topic(notice);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(notice.Body))
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var result = await _mqtt.PublishAsync(message, ct).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"MQTT broker {host}:{_options.MqttPort} refused the publish to '{topic}': {result.ReasonCode} {result.ReasonString}");
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Alarm {Alarm}: the {Event} notice {Notice} to {Target} failed (attempt {Attempt}): {Problem}; trying again in {Delay}")]
    private static partial void LogRetry(ILogger log, string @event, string alarm, string notice, string target, long attempt, string problem, TimeSpan delay);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Error, Message = "Alarm {Alarm}: gave up the {Event} notice {Notice} to {Target} after {Attempts} attempts; it is kept as failed")]
    private static partial void LogGivenUp(ILogger log, Exception ex, string @event, string alarm, string notice, string target, long attempts);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Error, Message = "Alarm notices ({Target}): the outbox could not be read or written; trying again")]
    private static partial void LogOutboxFailed(ILogger log, Exception ex, string target);
}
