using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Mqtt.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>
/// Reads tags from an MQTT broker through Eclipse libmosquitto. libmosquitto's network thread connects,
/// reconnects with exponential backoff, and hands each message to a bounded queue; this source resubscribes
/// on every connect, decodes each message by the first subscription whose filter matches its topic, and
/// counts what it cannot decode (malformed payloads, unknown topics, a full queue) without stopping.
/// </summary>
public sealed partial class MqttSource : ISampleSource
{
    private static readonly Lazy<int> LibraryReady = new(MosquittoNative.LibInit);

    private readonly MqttSourceOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<(string Topic, byte[] Payload, DateTimeOffset Arrival)> _messages;
    private readonly TimeProvider _time;
    private long _unknownTopics;
    private long _dropped;
    private long _connects;

    public MqttSource(MqttSourceOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _messages = Channel.CreateBounded<(string, byte[], DateTimeOffset)>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, SingleWriter = true });
    }

    public string Name => _options.Name;

    public SourceStatus Status { get; } = new();

    /// <summary>Messages whose topic matched no subscription.</summary>
    public long UnknownTopics => Interlocked.Read(ref _unknownTopics);

    /// <summary>Messages dropped because the decode queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Successful connections so far (the first one included).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    public async Task RunAsync(ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        _ = LibraryReady.Value;
        var self = GCHandle.Alloc(this);
        using var client = new MosquittoHandle(MosquittoNative.New(_options.ClientId, _options.CleanSession, GCHandle.ToIntPtr(self)));
        try
        {
            if (client.IsInvalid)
            {
                throw new InvalidOperationException($"MQTT source '{Name}': libmosquitto could not create a client (client id '{_options.ClientId}')");
            }

            Configure(client);
            Status.SetState(SourceState.Connecting);
            if (!await FirstConnectAsync(client, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            // From here libmosquitto's network thread reconnects by itself, with the backoff set above.
            Check(MosquittoNative.LoopStart(client), "starting the network thread");
            await DecodeAsync(writer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            MosquittoNative.Disconnect(client);
            MosquittoNative.LoopStop(client, force: false);
            Status.SetState(SourceState.Stopped);
            client.Dispose();
            self.Free();
        }
    }

    /// <summary>
    /// A broker that refuses at once (not up yet) fails mosquitto_connect_async before the network thread
    /// exists, and that thread only retries connections it has made: retry here with the same backoff.
    /// </summary>
    private async Task<bool> FirstConnectAsync(MosquittoHandle client, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(Math.Max(1, _options.ReconnectDelaySeconds));
        var max = TimeSpan.FromSeconds(Math.Max(_options.ReconnectDelaySeconds, _options.ReconnectDelayMaxSeconds));
        while (true)
        {
            var rc = MosquittoNative.ConnectAsync(client, _options.Host, _options.Port, _options.KeepAliveSeconds);
            if (rc == MosquittoNative.Success)
            {
                return true;
            }

            Status.SetState(SourceState.Disconnected, $"connecting to {_options.Host}:{_options.Port}: {MosquittoNative.Describe(rc)}");
            LogConnectFailed(_logger, Name, _options.Host, _options.Port, MosquittoNative.Describe(rc));
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            delay = delay * 2 > max ? max : delay * 2;
        }
    }

    private unsafe void Configure(MosquittoHandle client)
    {
        if (_options.Username is not null)
        {
            Check(MosquittoNative.UsernamePasswordSet(client, _options.Username, _options.Password), "setting username and password");
        }

        if (_options.CaFile is not null)
        {
            Check(MosquittoNative.TlsSet(client, _options.CaFile, null, _options.CertFile, _options.KeyFile, IntPtr.Zero), $"setting TLS (CA file '{_options.CaFile}')");
        }

        Check(MosquittoNative.ReconnectDelaySet(client, (uint)_options.ReconnectDelaySeconds, (uint)_options.ReconnectDelayMaxSeconds, exponential: true), "setting the reconnect backoff");
        MosquittoNative.ConnectCallbackSet(client, &OnConnect);
        MosquittoNative.DisconnectCallbackSet(client, &OnDisconnect);
        MosquittoNative.MessageCallbackSet(client, &OnMessage);
    }

    private async Task DecodeAsync(ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        var samples = new List<TagSample>();
        try
        {
            await foreach (var (topic, payload, arrival) in _messages.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var subscription = Route(topic);
                if (subscription is null)
                {
                    Interlocked.Increment(ref _unknownTopics);
                    Status.CountDecodeError($"topic '{topic}' matches no subscription");
                    continue;
                }

                samples.Clear();
                if (subscription.Decoder.Decode(payload, arrival, samples) is { } problem)
                {
                    Status.CountDecodeError($"topic '{topic}': {problem}");
                    LogDecodeError(_logger, Name, topic, problem);
                    continue;
                }

                foreach (var sample in samples)
                {
                    await writer.WriteAsync(sample, cancellationToken).ConfigureAwait(false);
                    Status.CountSample();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private MqttSubscription? Route(string topic)
    {
        foreach (var s in _options.Subscriptions)
        {
            if (MqttTopic.Matches(s.Topic, topic))
            {
                return s;
            }
        }

        return null;
    }

    private void Connected(IntPtr mosq, int code)
    {
        if (code != 0)
        {
            var reason = Marshal.PtrToStringUTF8(MosquittoNative.ConnackString(code)) ?? $"code {code}";
            Status.SetState(SourceState.Disconnected, $"broker refused the connection: {reason}");
            LogRefused(_logger, Name, reason);
            return;
        }

        if (Interlocked.Increment(ref _connects) > 1)
        {
            Status.CountReconnect();
        }

        // A persistent session keeps subscriptions on the broker, but a broker restarted without persistence
        // forgets them: subscribe again on every connect.
        foreach (var s in _options.Subscriptions)
        {
            var rc = MosquittoNative.Subscribe(mosq, IntPtr.Zero, s.Topic, s.Qos);
            if (rc != MosquittoNative.Success)
            {
                Status.SetState(SourceState.Disconnected, $"subscribing to '{s.Topic}': {MosquittoNative.Describe(rc)}");
                return;
            }
        }

        Status.SetState(SourceState.Connected);
        LogConnected(_logger, Name, _options.Host, _options.Port, _options.Subscriptions.Count, Connects > 1);
    }

    private void Disconnected(int code)
    {
        if (code == 0)
        {
            return;
        }

        Status.SetState(SourceState.Disconnected, $"connection to {_options.Host}:{_options.Port} lost: {MosquittoNative.Describe(code)}");
        LogLost(_logger, Name, _options.Host, _options.Port, MosquittoNative.Describe(code));
    }

    private unsafe void Received(MosquittoMessage* message)
    {
        var topic = Marshal.PtrToStringUTF8(message->Topic) ?? string.Empty;
        var payload = message->PayloadLength > 0 ? new ReadOnlySpan<byte>((void*)message->Payload, message->PayloadLength).ToArray() : [];
        if (!_messages.Writer.TryWrite((topic, payload, _time.GetUtcNow())))
        {
            Interlocked.Increment(ref _dropped);
            Status.CountDecodeError($"decode queue full ({_options.QueueCapacity}); message on '{topic}' dropped");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnConnect(IntPtr mosq, IntPtr obj, int code) => ((MqttSource)GCHandle.FromIntPtr(obj).Target!).Connected(mosq, code);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnDisconnect(IntPtr mosq, IntPtr obj, int code) => ((MqttSource)GCHandle.FromIntPtr(obj).Target!).Disconnected(code);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void OnMessage(IntPtr mosq, IntPtr obj, MosquittoMessage* message) => ((MqttSource)GCHandle.FromIntPtr(obj).Target!).Received(message);

    private void Check(int rc, string doing)
    {
        if (rc != MosquittoNative.Success)
        {
            throw new InvalidOperationException($"MQTT source '{Name}': {doing}: {MosquittoNative.Describe(rc)}");
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "MQTT source {Source}: connected to {Host}:{Port}, subscribed to {Subscriptions} filter(s) (reconnect: {Reconnect})")]
    private static partial void LogConnected(ILogger logger, string source, string host, int port, int subscriptions, bool reconnect);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "MQTT source {Source}: connection to {Host}:{Port} lost ({Reason}); reconnecting with backoff")]
    private static partial void LogLost(ILogger logger, string source, string host, int port, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "MQTT source {Source}: cannot reach {Host}:{Port} yet ({Reason}); retrying with backoff")]
    private static partial void LogConnectFailed(ILogger logger, string source, string host, int port, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "MQTT source {Source}: broker refused the connection: {Reason}")]
    private static partial void LogRefused(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "MQTT source {Source}: message on {Topic} not decoded: {Problem}")]
    private static partial void LogDecodeError(ILogger logger, string source, string topic, string problem);
}
