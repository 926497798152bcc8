using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Mqtt.Native;
using AiFactory.Edge.Sources.Serial.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>
/// One libmosquitto client connected to a broker: credentials, TLS, the first connection retried with backoff
/// (a broker that refuses at once fails before the network thread exists), then this session's own network thread,
/// which reconnects with the same exponential backoff. Callbacks go to the listener, on that thread.
/// </summary>
/// <remarks>
/// libmosquitto's own thread (mosquitto_loop_start) costs a select() per message read and, for every message
/// published from another thread, a write to its wake-up pipe, a wake-up of its thread and a select() before the
/// message leaves: system calls and thread switches that, on a virtual machine, cost more than everything else the
/// agent does with a sample. This loop reads messages back to back while they come and polls only when none is left,
/// and <see cref="Publish"/> writes the message on the caller's thread. Every libmosquitto call on the client is made
/// under one lock, so a publish never races a reconnect that replaces the socket.
/// </remarks>
internal sealed partial class MosquittoSession : IDisposable
{
    // Messages read back to back before the loop looks at writes, keep-alive and stop again.
    private const int ReadBurst = 64;

    private static readonly Lazy<int> LibraryReady = new(MosquittoNative.LibInit);

    private readonly MqttSourceOptions _options;
    private readonly IMosquittoListener _listener;
    private readonly SourceStatus _status;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _owner;
    private readonly Lock _calls = new();
    private readonly SafeFileHandle _wake;
    private GCHandle _self;
    private Thread? _loop;
    private volatile bool _stopping;
    private long _messagesRead;
    private volatile bool _accepted;

    public MosquittoSession(MqttSourceOptions options, IMosquittoListener listener, SourceStatus status, ILogger logger, TimeProvider time, string owner)
    {
        _options = options;
        _listener = listener;
        _status = status;
        _logger = logger;
        _time = time;
        _owner = owner;
        _ = LibraryReady.Value;
        var wake = LibC.EventFd(0, LibC.EventFdNonBlocking | LibC.EventFdCloseOnExec);
        if (wake < 0)
        {
            throw new InvalidOperationException($"{owner}: creating the network loop's wake-up descriptor: {LibC.Describe(Marshal.GetLastPInvokeError())}");
        }

        _wake = new SafeFileHandle(wake, ownsHandle: true);
        _self = GCHandle.Alloc(this);
        Handle = new MosquittoHandle(MosquittoNative.New(options.ClientId, options.CleanSession, GCHandle.ToIntPtr(_self)));
        if (Handle.IsInvalid)
        {
            _self.Free();
            _wake.Dispose();
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
        var max = MaxDelay;
        while (true)
        {
            int rc;
            lock (_calls)
            {
                rc = MosquittoNative.ConnectAsync(Handle, _options.Host, _options.Port, _options.KeepAliveSeconds);
            }

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

        _loop = new Thread(RunLoop) { IsBackground = true, Name = "mqtt " + _options.Name };
        _loop.Start();
        return true;
    }

    /// <summary>Publishes on the caller's thread; a message the socket cannot take at once is finished by the network loop.</summary>
    public unsafe int Publish(string topic, ReadOnlySpan<byte> payload, int qos)
    {
        int rc;
        bool pending;
        lock (_calls)
        {
            fixed (byte* p = payload)
            {
                rc = MosquittoNative.Publish(Handle, IntPtr.Zero, topic, payload.Length, p, qos, retain: false);
            }

            pending = MosquittoNative.WantWrite(Handle);
        }

        if (pending)
        {
            Wake();
        }

        return rc;
    }

    public void Dispose()
    {
        if (!_self.IsAllocated)
        {
            return;
        }

        _stopping = true;
        lock (_calls)
        {
            // Sends DISCONNECT (written at once: this is not libmosquitto's threaded mode).
            MosquittoNative.Disconnect(Handle);
        }

        Wake();
        _loop?.Join();
        Handle.Dispose();
        _wake.Dispose();
        _self.Free();
    }

    private TimeSpan MaxDelay => TimeSpan.FromSeconds(Math.Max(Math.Max(1, _options.ReconnectDelaySeconds), _options.ReconnectDelayMaxSeconds));

    private unsafe void Wake()
    {
        // Held while in use, so a publish racing Dispose never writes to a closed (and perhaps reused) descriptor.
        var held = false;
        try
        {
            _wake.DangerousAddRef(ref held);
            ulong one = 1;
            LibC.Write((int)_wake.DangerousGetHandle(), (byte*)&one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Stopped: there is no loop left to wake.
        }
        finally
        {
            if (held)
            {
                _wake.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// The network thread: reads while messages come, writes what is pending, keeps the connection alive, and
    /// reconnects with exponential backoff when it is lost (libmosquitto reports the loss to the disconnect callback).
    /// </summary>
    private unsafe void RunLoop()
    {
        var delay = TimeSpan.FromSeconds(Math.Max(1, _options.ReconnectDelaySeconds));
        var fds = stackalloc LibC.PollFd[2];
        // When the listener wants to be called again even if no message comes (a Stopwatch timestamp; 0: never).
        long due = 0;
        while (!_stopping)
        {
            int socket;
            bool wantWrite;
            lock (_calls)
            {
                socket = MosquittoNative.Socket(Handle);
                wantWrite = socket >= 0 && MosquittoNative.WantWrite(Handle);
            }

            if (socket < 0)
            {
                if (due != 0)
                {
                    // What the listener held for a later call must not wait for the reconnect.
                    due = 0;
                    _listener.ReadsEnded(mayAskAgain: false);
                }

                // Lost (the disconnect callback has told the listener): wait, then try again. The wait starts at
                // the configured delay after a connection that the broker had accepted, and doubles (up to the
                // maximum) with every attempt that does not get that far.
                if (_accepted)
                {
                    _accepted = false;
                    delay = TimeSpan.FromSeconds(Math.Max(1, _options.ReconnectDelaySeconds));
                }

                WaitForStop(delay);
                if (_stopping)
                {
                    return;
                }

                int rc;
                lock (_calls)
                {
                    rc = MosquittoNative.ReconnectAsync(Handle);
                }

                if (rc != MosquittoNative.Success)
                {
                    _status.SetState(SourceState.Disconnected, $"reconnecting to {_options.Host}:{_options.Port}: {MosquittoNative.Describe(rc)}");
                }

                delay = delay * 2 > MaxDelay ? MaxDelay : delay * 2;
                continue;
            }

            fds[0] = new LibC.PollFd { Fd = socket, Events = (short)(LibC.PollIn | (wantWrite ? LibC.PollOut : 0)) };
            fds[1] = new LibC.PollFd { Fd = (int)_wake.DangerousGetHandle(), Events = LibC.PollIn };
            // At least once a second, for keep-alive pings and the stop flag; sooner when the listener asked.
            var wait = TimeSpan.FromSeconds(1);
            if (due != 0)
            {
                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                wait = left < TimeSpan.Zero ? TimeSpan.Zero : left < wait ? left : wait;
            }

            var timeout = new LibC.TimeSpec { Seconds = wait.Ticks / TimeSpan.TicksPerSecond, Nanoseconds = wait.Ticks % TimeSpan.TicksPerSecond * 100 };
            if (LibC.PollPrecise(fds, 2, &timeout, IntPtr.Zero) < 0 && Marshal.GetLastPInvokeError() != LibC.Interrupted)
            {
                WaitForStop(TimeSpan.FromMilliseconds(10));
                continue;
            }

            if ((fds[1].ReturnedEvents & LibC.PollIn) != 0)
            {
                ulong drained;
                LibC.Read((int)_wake.DangerousGetHandle(), (byte*)&drained, sizeof(ulong));
            }

            var readBefore = _messagesRead;
            lock (_calls)
            {
                var rc = MosquittoNative.Success;
                if ((fds[0].ReturnedEvents & (LibC.PollIn | LibC.PollError | LibC.PollHangUp)) != 0)
                {
                    // One packet per call; go on while the last call delivered a message (more are likely queued
                    // in the socket), and poll again once one did not.
                    for (var i = 0; i < ReadBurst && rc == MosquittoNative.Success; i++)
                    {
                        var before = _messagesRead;
                        rc = MosquittoNative.LoopRead(Handle, 1);
                        if (_messagesRead == before)
                        {
                            break;
                        }
                    }
                }

                if (rc == MosquittoNative.Success && MosquittoNative.Socket(Handle) >= 0 && MosquittoNative.WantWrite(Handle))
                {
                    rc = MosquittoNative.LoopWrite(Handle, 1);
                }

                if (rc == MosquittoNative.Success && MosquittoNative.Socket(Handle) >= 0)
                {
                    MosquittoNative.LoopMisc(Handle);
                }
            }

            // Outside the lock: the listener may do real work now (a line routes the burst on this thread), and a
            // publish from another thread must not wait for it.
            if (_messagesRead != readBefore || (due != 0 && Stopwatch.GetTimestamp() >= due))
            {
                var again = _listener.ReadsEnded(mayAskAgain: true);
                due = again is { } a ? Stopwatch.GetTimestamp() + (long)(a.TotalSeconds * Stopwatch.Frequency) : 0;
            }
        }
    }

    /// <summary>Waits in real time (the broker's, not a test clock's), looking at the stop flag every 50 ms.</summary>
    private void WaitForStop(TimeSpan delay)
    {
        var until = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        while (!_stopping && Stopwatch.GetTimestamp() < until)
        {
            Thread.Sleep(50);
        }
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

        // Small messages go out at once: with Nagle's algorithm a message written while an earlier one waits for
        // the broker's (delayed) acknowledgement is held back up to ~40 ms.
        Check(MosquittoNative.IntOption(Handle, MosquittoNative.OptionTcpNoDelay, 1), "turning Nagle's algorithm off");
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
    private static void OnConnect(IntPtr mosq, IntPtr obj, int code)
    {
        var session = (MosquittoSession)GCHandle.FromIntPtr(obj).Target!;
        session._accepted |= code == 0;
        session._listener.Connected(mosq, code);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnDisconnect(IntPtr mosq, IntPtr obj, int code) => ((MosquittoSession)GCHandle.FromIntPtr(obj).Target!)._listener.Disconnected(code);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnPublish(IntPtr mosq, IntPtr obj, int mid) => ((MosquittoSession)GCHandle.FromIntPtr(obj).Target!)._listener.Sent(mid);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void OnMessage(IntPtr mosq, IntPtr obj, MosquittoMessage* message)
    {
        var session = (MosquittoSession)GCHandle.FromIntPtr(obj).Target!;
        session._messagesRead++;
        session._listener.Received(message);
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "MQTT source {Source}: cannot reach {Host}:{Port} yet ({Reason}); retrying with backoff")]
    private static partial void LogConnectFailed(ILogger logger, string source, string host, int port, string reason);
}
