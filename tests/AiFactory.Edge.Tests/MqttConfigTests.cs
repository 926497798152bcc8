using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AiFactory.Edge.Config;
using MQTTnet.Formatter;

namespace AiFactory.Edge.Tests;

/// <summary>The MQTT connection keys of a source and of the verdict output: read into the options, and each bad one named.</summary>
[Trait("Category", "Unit")]
public sealed class MqttConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-mqtt-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_TlsProtocol5SessionAndQos2_ReachTheSourceAndTheOutput()
    {
        var (ca, cert, key) = WritePki();
        var config = EdgeConfigReader.Read(Write($"""
            sources:
              - name: plant-broker
                type: mqtt
                protocol: 5
                clean_session: false
                session_expiry_s: 600
                queue_capacity: 500
                tls:
                  ca_file: {ca}
                  cert_file: {cert}
                  key_file: {key}
                subscriptions:
                  - topic: plant/line1/pump/level
                    qos: 2
                    number: pump-1/level
            outputs:
              mqtt:
                topic: plant/line1/{"{station}"}/verdict
                qos: 2
                protocol: 3.1.1
                clean_session: true
                tls:
                  ca_file: {ca}
            stations: []
            """));

        var source = Assert.IsType<AiFactory.Edge.Sources.Mqtt.MqttSource>(Assert.Single(config.Sources).Create(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        Assert.Equal("plant-broker", source.Name);
        var output = config.MqttOutput!;
        Assert.Equal((2, MqttProtocolVersion.V311, true, ca, (string?)null), (output.Qos, output.Broker.Protocol, output.Broker.CleanSession, output.Broker.CaFile, output.Broker.CertFile));
    }

    [Fact]
    public void Read_SourceOptions_CarryEveryConnectionKey()
    {
        var (ca, cert, key) = WritePki();
        var root = new ConfigNode(
            (YamlDotNet.RepresentationModel.YamlMappingNode)Yaml($"host: broker.plant\nport: 8883\nclient_id: edge-7\nusername: edge\npassword: pw\nprotocol: 5\nkeepalive_s: 20\nclean_session: false\nsession_expiry_s: 600\ntls:\n  ca_file: {ca}\n  cert_file: {cert}\n  key_file: {key}\n"),
            "sources[0]",
            new ConfigProblems("line.yaml"),
            MqttBrokerConfig.Keys);
        root.CheckKeys();

        var o = MqttBrokerConfig.Read(root, "plant-broker", "default-id", 500);

        Assert.Empty(root.Problems.All);
        Assert.Equal(
            ("broker.plant", 8883, "edge-7", "edge", "pw", MqttProtocolVersion.V500, 20, false, 600u, 500, ca, cert, key),
            (o.Host, o.Port, o.ClientId, o.Username, o.Password, o.Protocol, o.KeepAliveSeconds, o.CleanSession, o.SessionExpirySeconds, o.QueueCapacity, o.CaFile, o.CertFile, o.KeyFile));
    }

    [Fact]
    public void Read_BadConnectionKeys_AreEachNamedWithTheProblem()
    {
        var missing = Path.Combine(_dir, "nope.crt");
        var notPem = Path.Combine(_dir, "not-a-cert.crt");
        File.WriteAllText(notPem, "hello");
        var ex = Assert.Throws<EdgeConfigException>(() => EdgeConfigReader.Read(Write($"""
            sources:
              - name: a
                type: mqtt
                protocol: 4
                tls:
                  ca_file: {missing}
                  cafile: x
                subscriptions:
                  - topic: plant/#
                    qos: 3
                    number: plant/value
              - name: b
                type: mqtt
                tls:
                  ca_file: {notPem}
                  key_file: k.pem
                subscriptions:
                  - topic: other/#
                    number: other/value
            outputs:
              mqtt:
                topic: plant/{"{station}"}/verdict
                protocol: 6
                session_expiry: 10
            stations: []
            """)));

        var problems = string.Join('\n', ex.Problems);
        Assert.Contains("sources[0].protocol: '4' is not an MQTT version (hint: 3.1.1 or 5)", problems, StringComparison.Ordinal);
        Assert.Contains("sources[0].tls.cafile: unknown key (hint: known keys here: ca_file, cert_file, key_file)", problems, StringComparison.Ordinal);
        Assert.Contains($"sources[0].tls.ca_file: CA file '{missing}': Could not find file '{missing}'.", problems, StringComparison.Ordinal);
        Assert.Contains("sources[0].subscriptions[0].qos: '3' must be a whole number from 0 to 2", problems, StringComparison.Ordinal);
        Assert.Contains($"sources[1].tls.ca_file: CA file '{notPem}': ", problems, StringComparison.Ordinal);
        Assert.Contains("sources[1].tls.key_file: a key without cert_file (hint: cert_file: client.crt  key_file: client.key)", problems, StringComparison.Ordinal);
        Assert.Contains("outputs.mqtt.protocol: '6' is not an MQTT version (hint: 3.1.1 or 5)", problems, StringComparison.Ordinal);
        Assert.Contains("outputs.mqtt.session_expiry: unknown key", problems, StringComparison.Ordinal);
    }

    /// <summary>A CA and a client certificate it signed, as PEM files, made in-process (no openssl needed).</summary>
    private (string Ca, string Cert, string Key) WritePki()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=aifactory test ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest("CN=edge", clientKey, HashAlgorithmName.SHA256);
        using var client = clientRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        var paths = (Path.Combine(_dir, "ca.crt"), Path.Combine(_dir, "client.crt"), Path.Combine(_dir, "client.key"));
        File.WriteAllText(paths.Item1, ca.ExportCertificatePem());
        File.WriteAllText(paths.Item2, client.ExportCertificatePem());
        File.WriteAllText(paths.Item3, clientKey.ExportPkcs8PrivateKeyPem());
        return paths;
    }

    private static YamlDotNet.RepresentationModel.YamlNode Yaml(string text)
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode;
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
