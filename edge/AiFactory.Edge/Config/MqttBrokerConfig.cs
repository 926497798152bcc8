using AiFactory.Edge.Sources.Mqtt;
using MQTTnet.Formatter;

namespace AiFactory.Edge.Config;

/// <summary>
/// The broker connection as both an MQTT source and the MQTT output declare it: host, port, client id, credentials,
/// protocol (3.1.1 or 5), TLS files (read here, so a bad one is named by <c>validate</c>), keep-alive and session.
/// </summary>
internal static class MqttBrokerConfig
{
    /// <summary>The keys this reads, for the enclosing mapping's list of known keys.</summary>
    public static readonly string[] Keys = ["host", "port", "client_id", "username", "password", "protocol", "tls", "keepalive_s", "clean_session", "session_expiry_s"];

    /// <summary>The defaults, from the options class.</summary>
    public static readonly MqttSourceOptions Defaults = new();

    public static MqttSourceOptions Read(ConfigNode item, string name, string clientId, int? queueCapacity = null, IReadOnlyList<MqttSubscription>? subscriptions = null)
    {
        var tls = item.Map("tls", "ca_file", "cert_file", "key_file");
        var options = new MqttSourceOptions
        {
            Name = name,
            Host = item.String("host") ?? Defaults.Host,
            Port = item.Int("port", Defaults.Port, 1, 65535),
            ClientId = item.String("client_id") ?? clientId,
            Username = item.String("username"),
            Password = item.String("password"),
            Protocol = Protocol(item),
            CaFile = tls?.String("ca_file", required: true, hint: "the PEM file of the CA that signed the broker's certificate"),
            CertFile = tls?.String("cert_file"),
            KeyFile = tls?.String("key_file"),
            KeepAliveSeconds = item.Int("keepalive_s", Defaults.KeepAliveSeconds, 5, 3600),
            CleanSession = item.Bool("clean_session", Defaults.CleanSession),
            SessionExpirySeconds = (uint)item.Int("session_expiry_s", (int)Defaults.SessionExpirySeconds, 0, int.MaxValue),
            QueueCapacity = queueCapacity ?? Defaults.QueueCapacity,
            Subscriptions = subscriptions ?? [],
        };
        if (tls is not null && options.CaFile is not null)
        {
            CheckTls(tls, options);
        }

        if (tls?.String("key_file") is not null && options.CertFile is null)
        {
            item.Problems.Add(tls.Child("key_file"), tls.Key("key_file"), "a key without cert_file", "cert_file: client.crt  key_file: client.key");
        }

        return options;
    }

    private static MqttProtocolVersion Protocol(ConfigNode item) => item.String("protocol") switch
    {
        null or "3.1.1" => MqttProtocolVersion.V311,
        "5" or "5.0" => MqttProtocolVersion.V500,
        var other => Bad(item, other),
    };

    private static MqttProtocolVersion Bad(ConfigNode item, string text)
    {
        item.Problems.Add(item.Child("protocol"), item.Key("protocol"), $"'{text}' is not an MQTT version", "3.1.1 or 5");
        return MqttProtocolVersion.V311;
    }

    private static void CheckTls(ConfigNode tls, MqttSourceOptions options)
    {
        try
        {
            MqttTls.Load(options.CaFile!, options.CertFile, options.KeyFile).Dispose();
        }
        catch (InvalidDataException ex)
        {
            var key = ex.Message.StartsWith("CA file", StringComparison.Ordinal) ? "ca_file" : "cert_file";
            tls.Problems.Add(tls.Child(key), tls.Key(key), ex.Message, key == "ca_file" ? "a PEM certificate (-----BEGIN CERTIFICATE-----)" : "a PEM certificate, and key_file with its PEM private key");
        }
    }
}
