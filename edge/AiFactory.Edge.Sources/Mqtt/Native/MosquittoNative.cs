using System.Runtime.InteropServices;

namespace AiFactory.Edge.Sources.Mqtt.Native;

/// <summary>
/// The parts of Eclipse libmosquitto (Debian libmosquitto1) this project calls, declared from the public
/// header mosquitto.h. Callbacks arrive on the thread that calls the loop functions (MosquittoSession's network thread) or, for a publish written at once, on the publishing thread.
/// </summary>
internal static unsafe partial class MosquittoNative
{
    private const string Library = "libmosquitto.so.1";

    public const int Success = 0;

    /// <summary>mosq_opt_t MOSQ_OPT_TCP_NODELAY: 1 turns Nagle's algorithm off on the client's socket.</summary>
    public const int OptionTcpNoDelay = 11;

    [LibraryImport(Library, EntryPoint = "mosquitto_lib_init")]
    public static partial int LibInit();

    [LibraryImport(Library, EntryPoint = "mosquitto_new", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr New(string? id, [MarshalAs(UnmanagedType.U1)] bool cleanSession, IntPtr obj);

    [LibraryImport(Library, EntryPoint = "mosquitto_destroy")]
    public static partial void Destroy(IntPtr mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_username_pw_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UsernamePasswordSet(MosquittoHandle mosq, string? username, string? password);

    [LibraryImport(Library, EntryPoint = "mosquitto_tls_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TlsSet(MosquittoHandle mosq, string? caFile, string? caPath, string? certFile, string? keyFile, IntPtr passwordCallback);

    [LibraryImport(Library, EntryPoint = "mosquitto_connect_async", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConnectAsync(MosquittoHandle mosq, string host, int port, int keepalive);

    [LibraryImport(Library, EntryPoint = "mosquitto_disconnect")]
    public static partial int Disconnect(MosquittoHandle mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_int_option")]
    public static partial int IntOption(MosquittoHandle mosq, int option, int value);

    [LibraryImport(Library, EntryPoint = "mosquitto_reconnect_async")]
    public static partial int ReconnectAsync(MosquittoHandle mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_socket")]
    public static partial int Socket(MosquittoHandle mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_loop_read")]
    public static partial int LoopRead(MosquittoHandle mosq, int maxPackets);

    [LibraryImport(Library, EntryPoint = "mosquitto_loop_write")]
    public static partial int LoopWrite(MosquittoHandle mosq, int maxPackets);

    [LibraryImport(Library, EntryPoint = "mosquitto_loop_misc")]
    public static partial int LoopMisc(MosquittoHandle mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_want_write")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool WantWrite(MosquittoHandle mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_subscribe", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Subscribe(IntPtr mosq, IntPtr mid, string subscription, int qos);

    [LibraryImport(Library, EntryPoint = "mosquitto_publish", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Publish(MosquittoHandle mosq, IntPtr mid, string topic, int payloadLength, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain);

    [LibraryImport(Library, EntryPoint = "mosquitto_connect_callback_set")]
    public static partial void ConnectCallbackSet(MosquittoHandle mosq, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, void> callback);

    [LibraryImport(Library, EntryPoint = "mosquitto_disconnect_callback_set")]
    public static partial void DisconnectCallbackSet(MosquittoHandle mosq, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, void> callback);

    [LibraryImport(Library, EntryPoint = "mosquitto_message_callback_set")]
    public static partial void MessageCallbackSet(MosquittoHandle mosq, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, MosquittoMessage*, void> callback);

    /// <summary>on_publish: QoS 0 once the message is written to the socket, QoS 1 once the broker acknowledged it.</summary>
    [LibraryImport(Library, EntryPoint = "mosquitto_publish_callback_set")]
    public static partial void PublishCallbackSet(MosquittoHandle mosq, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, void> callback);

    [LibraryImport(Library, EntryPoint = "mosquitto_strerror")]
    public static partial IntPtr StrError(int error);

    [LibraryImport(Library, EntryPoint = "mosquitto_connack_string")]
    public static partial IntPtr ConnackString(int code);

    public static string Describe(int error) => Marshal.PtrToStringUTF8(StrError(error)) ?? $"error {error}";
}
