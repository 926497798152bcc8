using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Mqtt;

namespace AiFactory.Edge.Sources.Tests.Mqtt;

/// <summary>TLS files that cannot be used: named, and a source that meets one at run time stops alone, saying why.</summary>
[Trait("Category", "Unit")]
public sealed class MqttTlsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-mqtt-tls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_MissingCaOrACertificateWithoutKey_NamesTheFileAndTheProblem()
    {
        var missing = Path.Combine(_dir, "gone.crt");
        var ex = Assert.Throws<InvalidDataException>(() => MqttTls.Load(missing, null, null));
        Assert.Equal($"CA file '{missing}': Could not find file '{missing}'.", ex.Message);

        var notPem = Path.Combine(_dir, "text.crt");
        File.WriteAllText(notPem, "not a certificate");
        Assert.StartsWith($"CA file '{notPem}': ", Assert.Throws<InvalidDataException>(() => MqttTls.Load(notPem, null, null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_WhoseCaFileVanishedSinceValidation_StopsWithTheReason_InsteadOfFailingTheLine()
    {
        var missing = Path.Combine(_dir, "gone.crt");
        var source = new MqttSource(new MqttSourceOptions { Name = "plant-broker", CaFile = missing });

        await source.RunAsync(Channel.CreateUnbounded<TagSample>().Writer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SourceState.Stopped, source.Status.State);
        Assert.Equal($"CA file '{missing}': Could not find file '{missing}'.", source.Status.LastError);
    }
}
