using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Mqtt.Native;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>
/// One libmosquitto client connected to a broker: credentials, TLS, the first connection retried with backoff
/// (a broker that refuses at once fails before the network thread exists), then libmosquitto's network thread,
/// which reconnects by itself with the same exponential backoff. Callbacks go to the listener.
/// </summary>
internal sealed partial class MosquittoSession : IDisposable
{
    private static readonly Lazy<int> LibraryReady = new(MosquittoNative.LibInit);

    private readonly MqttSourceOptions _options;
    private readonly IMosquittoListener _listener;
    private readonly SourceStatus _status;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _owner;
    private GCHandle _self;
    private bool _loopStarted;

    public MosquittoSession(MqttSourceOptions options, IMosquittoListener listener, SourceStatus status, ILogger logger, TimeProvider time, string owner)
    {
        _options = options;
        _listener = listener;
        _status = status;
        _logger = logger;
        _time = time;
        _owner = owner;
        _ = LibraryReady.Value;
        _self = GCHandle.Alloc(this);
        Handle = new MosquittoHandle(MosquittoNative.New(options.ClientId, options.CleanSession, GCHandle.ToIntPtr(_self)));
        if (Handle.IsInvalid)
        {
            _self.Free();
            throw new InvalidOperationException($"{owner}: libmosquitto could not create a client (client id '{options.ClientId}')");
        }
    }

    public MosquittoHandle Handle { get; }

    /// <returns>False when cancelled before the first connection.</returns>
    public async Task<bool> StartAsync(CancellationToken cancellationToken)
    {
        Configure();
        _status.SetState(SourceState.Connecting);
        var delay = TimeSpan.FromSeconds(Math.Max(1, _options.ReconnectDelaySeconds));
        var max = TimeSpan.FromSeconds(Math.Max(_options.ReconnectDelaySeconds, _options.ReconnectDelayMaxSeconds));
        while (true)
        {
            var rc = MosquittoNative.ConnectAsync(Handle, _options.Host, _options.Port, _options.KeepAliveSeconds);
            if (rc == MosquittoNative.Success)
            {
                break;
            }

            _status.SetState(SourceState.Disconnected, $"connecting to {_options.Host}:{_options.Port}: {MosquittoNative.Describe(rc)}");
            LogConnectFailed(_logger, _options.Name, _options.Host, _options.Port, MosquittoNative.Describe(rc));
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

        Check(MosquittoNative.LoopStart(Handle), "starting the network thread");
        _loopStarted = true;
        return true;
    }

    public void Dispose()
    {
        if (!_self.IsAllocated)
        {
            return;
        }

        MosquittoNative.Disconnect(Handle);
        if (_loopStarted)
        {
            MosquittoNative.LoopStop(Handle, force: false);
        }

        Handle.Dispose();
        _self.Free();
    }

    private unsafe void Configure()
    {
        if (_options.Username is not null)
        {
            Check(MosquittoNative.UsernamePasswordSet(Handle, _options.Username, _options.Password), "setting username and password");
        }

        if (_options.CaFile is not null)
        {
            Check(MosquittoNative.TlsSet(Handle, _options.CaFile, null, _options.CertFile, _options.KeyFile, IntPtr.Zero), $"setting TLS (CA file '{_options.CaFile}')");
        }

        Check(MosquittoNative.ReconnectDelaySet(Handle, (uint)_options.ReconnectDelaySeconds, (uint)_options.ReconnectDelayMaxSeconds, exponential: true), "setting the reconnect backoff");
        MosquittoNative.ConnectCallbackSet(Handle, &OnConnect);
        MosquittoNative.DisconnectCallbackSet(Handle, &OnDisconnect);
        MosquittoNative.MessageCallbackSet(Handle, &OnMessage);
        MosquittoNative.PublishCallbackSet(Handle, &OnPublish);
    }

    private void Check(int rc, string doing)
    {
        if (rc != MosquittoNative.Success)
        {
            throw new InvalidOperationException($"{_owner}: {doing}: {MosquittoNative.Describe(rc)}");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnConnect(IntPtr mosq, IntPtr obj, int code) => ((MosquittoSession)GCHandle.FromIntPtr(obj).Target!)._listener.Connected(mosq, code);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnDisconnect(IntPtr mosq, IntPtr obj, int code) => ((MosquittoSession)GCHandle.FromIntPtr(obj).Target!)._listener.Disconnected(code);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnPublish(IntPtr mosq, IntPtr obj, int mid) => ((MosquittoSession)GCHandle.FromIntPtr(obj).Target!)._listener.Sent(mid);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void OnMessage(IntPtr mosq, IntPtr obj, MosquittoMessage* message) => ((MosquittoSession)GCHandle.FromIntPtr(obj).Target!)._listener.Received(message);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "MQTT source {Source}: cannot reach {Host}:{Port} yet ({Reason}); retrying with backoff")]
    private static partial void LogConnectFailed(ILogger logger, string source, string host, int port, string reason);
}
