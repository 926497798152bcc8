using MQTTnet;
using MQTTnet.Formatter;

namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>MQTTnet's connect options from ours: address, TLS, credentials, protocol version, session and keep-alive.</summary>
public static class MqttClientOptionsFactory
{
    public static MqttClientOptions Build(MqttSourceOptions options, MqttTls? tls)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(options.ClientId)
            .WithProtocolVersion(options.Protocol)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(options.KeepAliveSeconds))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (options.Protocol == MqttProtocolVersion.V500)
        {
            // Clean start plus an expiry: a persistent session outlives a disconnect by that long.
            builder.WithCleanStart(options.CleanSession)
                .WithSessionExpiryInterval(options.CleanSession ? 0 : options.SessionExpirySeconds)
                .WithReceiveMaximum(options.InFlight);
        }
        else
        {
            builder.WithCleanSession(options.CleanSession);
        }

        if (options.Username is not null)
        {
            builder.WithCredentials(options.Username, options.Password);
        }

        if (tls is not null)
        {
            builder.WithTlsOptions(t =>
            {
                t.UseTls()
                    .WithTargetHost(options.Host)
                    .WithCertificateValidationHandler(e => tls.Validate(e.Certificate, e.SslPolicyErrors));
                if (tls.Client is { } client)
                {
                    t.WithClientCertificates([client]);
                }
            });
        }

        var built = builder.Build();

        // Small messages go out at once: with Nagle's algorithm a message written while an earlier one waits for the
        // broker's (delayed) acknowledgement is held back up to ~40 ms.
        ((MqttClientTcpOptions)built.ChannelOptions).NoDelay = true;
        return built;
    }
}
