using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace AiFactory.Hub.Alarms;

/// <summary>
/// Sends each alarm notice, in order, to the webhook (HTTP POST of JSON) and to MQTT (QoS 1), each with retries and
/// back-off. A notice that still fails is counted and logged, never retried forever: the alarm itself is in SQL and
/// on the dashboard. Notices wait in a bounded queue; when it is full the oldest is dropped and counted.
/// </summary>
public sealed partial class AlarmDelivery : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Channel<AlarmNotice> _queue;
    private readonly AlarmOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger<AlarmDelivery> _log;
    private readonly Meter _meter = new("AiFactory.Hub.Alarms");
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private IMqttClient? _mqtt;
    private long _delivered;
    private long _givenUp;

    public AlarmDelivery(IOptions<AlarmOptions> options, ILogger<AlarmDelivery> log)
    {
        _options = options.Value;
        _log = log;
        _http = new HttpClient { Timeout = _options.DeliveryTimeout };
        _sent = _meter.CreateCounter<long>("aifactory.hub.alarms.delivered", description: "Alarm notices delivered, by target");
        _failed = _meter.CreateCounter<long>("aifactory.hub.alarms.undelivered", description: "Alarm notices given up or dropped, by target");
        _queue = Channel.CreateBounded<AlarmNotice>(
            new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                Interlocked.Increment(ref _givenUp);
                _failed.Add(1, new KeyValuePair<string, object?>("target", "queue"));
                LogDropped(_log, dropped.Alarm.Id, dropped.Event);
            });
    }

    /// <summary>Deliveries that succeeded (a notice counts once per target).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Deliveries given up after every attempt, or dropped from a full queue.</summary>
    public long GivenUp => Interlocked.Read(ref _givenUp);

    public void Enqueue(AlarmNotice notice) => _queue.Writer.TryWrite(notice);

    public override void Dispose()
    {
        _http.Dispose();
        _mqtt?.Dispose();
        _meter.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var notice in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var body = JsonSerializer.SerializeToUtf8Bytes(notice, Json);
                if (_options.WebhookUrl is { } url)
                {
                    await TryAsync("webhook", notice, ct => PostAsync(url, body, ct), stoppingToken).ConfigureAwait(false);
                }

                if (_options.MqttHost is { } host)
                {
                    await TryAsync("mqtt", notice, ct => PublishAsync(host, Topic(notice.Alarm), body, ct), stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The MQTT topic of an alarm: the prefix, then its company, plant, line and (station rules) station.</summary>
    public string Topic(AlarmRecord alarm) =>
        $"{_options.MqttTopic}/{alarm.CompanyId}/{alarm.PlantId}/{alarm.LineId}" + (alarm.StationId is null ? string.Empty : "/" + alarm.StationId);

    private async Task TryAsync(string target, AlarmNotice notice, Func<CancellationToken, Task> send, CancellationToken stopping)
    {
        var wait = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                timeout.CancelAfter(_options.DeliveryTimeout);
                await send(timeout.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _delivered);
                _sent.Add(1, new KeyValuePair<string, object?>("target", target));
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !stopping.IsCancellationRequested)
            {
                if (attempt >= _options.DeliveryAttempts)
                {
                    Interlocked.Increment(ref _givenUp);
                    _failed.Add(1, new KeyValuePair<string, object?>("target", target));
                    LogGivenUp(_log, ex, notice.Event, notice.Alarm.Id, target, attempt);
                    return;
                }

                LogRetry(_log, notice.Event, notice.Alarm.Id, target, attempt, ex.Message);
                await Task.Delay(wait, stopping).ConfigureAwait(false);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task PostAsync(Uri url, byte[] body, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(url, content, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"webhook {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }

    private async Task PublishAsync(string host, string topic, byte[] body, CancellationToken ct)
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

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(body)
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var result = await _mqtt.PublishAsync(message, ct).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"MQTT broker {host}:{_options.MqttPort} refused the publish to '{topic}': {result.ReasonCode} {result.ReasonString}");
        }
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Alarm {Alarm}: the {Event} notice to {Target} failed (attempt {Attempt}): {Problem}; trying again")]
    private static partial void LogRetry(ILogger log, string @event, string alarm, string target, int attempt, string problem);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Error, Message = "Alarm {Alarm}: gave up the {Event} notice to {Target} after {Attempts} attempts")]
    private static partial void LogGivenUp(ILogger log, Exception ex, string @event, string alarm, string target, int attempts);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Error, Message = "Alarm {Alarm}: the {Event} notice was dropped, the delivery queue is full")]
    private static partial void LogDropped(ILogger log, string alarm, string @event);
}
