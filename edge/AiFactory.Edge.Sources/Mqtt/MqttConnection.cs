using AiFactory.Edge.Core.Samples;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Adapter;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>
/// One MQTTnet client kept connected to a broker: it connects, calls <c>connected</c> (a source subscribes there,
/// again after every reconnect: a broker restarted without persistence forgets subscriptions), waits for the loss,
/// and reconnects with exponential backoff (from <see cref="MqttSourceOptions.ReconnectDelaySeconds"/> up to
/// <see cref="MqttSourceOptions.ReconnectDelayMaxSeconds"/>; back to the start after a connection the broker
/// accepted). MQTTnet 5 has no managed client that does this; this loop is it.
/// </summary>
internal sealed partial class MqttConnection : IAsyncDisposable
{
    private readonly MqttSourceOptions _options;
    private readonly SourceStatus _status;
    private readonly ILogger _logger;
    private readonly Func<IMqttClient, CancellationToken, Task> _connected;
    private readonly MqttTls? _tls;
    private readonly MqttClientOptions _clientOptions;
    private TaskCompletionSource<string> _lost = NewSignal<string>();
    private TaskCompletionSource _up = NewSignal();
    private long _connects;

    /// <exception cref="InvalidDataException">A TLS file cannot be read.</exception>
    public MqttConnection(MqttSourceOptions options, SourceStatus status, ILogger logger, Func<IMqttClient, CancellationToken, Task>? connected = null)
    {
        _options = options;
        _status = status;
        _logger = logger;
        _connected = connected ?? ((_, _) => Task.CompletedTask);
        _tls = options.CaFile is null ? null : MqttTls.Load(options.CaFile, options.CertFile, options.KeyFile);
        _clientOptions = MqttClientOptionsFactory.Build(options, _tls);
        Client = new MqttClientFactory().CreateMqttClient();
        Client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected)
            {
                Volatile.Read(ref _lost).TrySetResult(e.Exception?.Message ?? e.ReasonString ?? e.Reason.ToString());
            }

            return Task.CompletedTask;
        };
    }

    public IMqttClient Client { get; }

    /// <summary>Connections the broker accepted so far (the first one included).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Completes when the client is connected and <c>connected</c> has run (now, if it is).</summary>
    public Task WhenUp => Volatile.Read(ref _up).Task;

    /// <summary>Connects, and reconnects after every loss, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var first = TimeSpan.FromSeconds(Math.Max(1, _options.ReconnectDelaySeconds));
        var max = TimeSpan.FromSeconds(Math.Max(first.TotalSeconds, _options.ReconnectDelayMaxSeconds));
        var delay = first;
        _status.SetState(SourceState.Connecting);
        while (!cancellationToken.IsCancellationRequested)
        {
            var lost = NewSignal<string>();
            Volatile.Write(ref _lost, lost);
            try
            {
                await Client.ConnectAsync(_clientOptions, cancellationToken).ConfigureAwait(false);
                if (Interlocked.Increment(ref _connects) > 1)
                {
                    _status.CountReconnect();
                }

                await _connected(Client, cancellationToken).ConfigureAwait(false);
                delay = first;
                _status.SetState(SourceState.Connected);
                LogConnected(_logger, _options.Name, _options.Host, _options.Port, _options.Subscriptions.Count, Connects > 1);
                Volatile.Read(ref _up).TrySetResult();
                var reason = await lost.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _up, NewSignal());
                _status.SetState(SourceState.Disconnected, $"connection to {_options.Host}:{_options.Port} lost: {reason}");
                LogLost(_logger, _options.Name, _options.Host, _options.Port, reason);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (MqttConnectingFailedException ex)
            {
                _status.SetState(SourceState.Disconnected, $"broker refused the connection: {ex.Message}");
                LogRefused(_logger, _options.Name, ex.Message);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Unreachable, a TLS handshake that failed, a subscription the broker refused: try again later.
                var doing = Client.IsConnected ? "subscribing" : $"connecting to {_options.Host}:{_options.Port}";
                _status.SetState(SourceState.Disconnected, $"{doing}: {ex.Message}");
                LogConnectFailed(_logger, _options.Name, _options.Host, _options.Port, $"{doing}: {ex.Message}");
                await DisconnectAsync().ConfigureAwait(false);
            }

            try
            {
                await Task.Delay(delay, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = delay * 2 > max ? max : delay * 2;
        }
    }

    /// <summary>Sends DISCONNECT (a persistent session stays on the broker) and closes the client.</summary>
    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync().ConfigureAwait(false);
        Client.Dispose();
        _tls?.Dispose();
    }

    private async Task DisconnectAsync()
    {
        if (!Client.IsConnected)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await Client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Already gone: nothing to say goodbye to.
        }
    }

    private static TaskCompletionSource<T> NewSignal<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "MQTT {Source}: connected to {Host}:{Port}, subscribed to {Subscriptions} filter(s) (reconnect: {Reconnect})")]
    private static partial void LogConnected(ILogger logger, string source, string host, int port, int subscriptions, bool reconnect);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "MQTT {Source}: connection to {Host}:{Port} lost ({Reason}); reconnecting with backoff")]
    private static partial void LogLost(ILogger logger, string source, string host, int port, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "MQTT {Source}: cannot reach {Host}:{Port} yet ({Reason}); retrying with backoff")]
    private static partial void LogConnectFailed(ILogger logger, string source, string host, int port, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "MQTT {Source}: broker refused the connection: {Reason}")]
    private static partial void LogRefused(ILogger logger, string source, string reason);
}
