using AiFactory.Edge.Sources.Mqtt;
using MQTTnet;
using MQTTnet.Formatter;

namespace AiFactory.Edge.Sources.Tests.Mqtt;

/// <summary>Our broker options as MQTTnet's connect options.</summary>
[Trait("Category", "Unit")]
public sealed class MqttClientOptionsFactoryTests
{
    [Fact]
    public void Build_Mqtt5PersistentSession_AsksForCleanStartOffTheExpiryAndTheInFlightWindow_WithNoDelay()
    {
        var built = MqttClientOptionsFactory.Build(new MqttSourceOptions
        {
            Host = "127.0.0.1", Port = 8883, ClientId = "edge-7", Username = "edge", Password = "pw", Protocol = MqttProtocolVersion.V500,
            CleanSession = false, SessionExpirySeconds = 600, InFlight = 100, KeepAliveSeconds = 20,
        }, tls: null);

        var tcp = Assert.IsType<MqttClientTcpOptions>(built.ChannelOptions);
        Assert.Equal(
            (MqttProtocolVersion.V500, false, 600u, (ushort)100, "edge-7", TimeSpan.FromSeconds(20), true, false),
            (built.ProtocolVersion, built.CleanSession, built.SessionExpiryInterval, built.ReceiveMaximum, built.ClientId, built.KeepAlivePeriod, tcp.NoDelay, tcp.TlsOptions.UseTls));
        Assert.Equal("edge", built.Credentials.GetUserName(built));
    }

    [Fact]
    public void Build_Mqtt311CleanSession_HasNoExpiry_AndStillNoDelay()
    {
        var built = MqttClientOptionsFactory.Build(new MqttSourceOptions { CleanSession = true }, tls: null);

        Assert.Equal(
            (MqttProtocolVersion.V311, true, 0u, true),
            (built.ProtocolVersion, built.CleanSession, built.SessionExpiryInterval, ((MqttClientTcpOptions)built.ChannelOptions).NoDelay));
    }
}
