using AiFactory.Testing;

namespace AiFactory.Edge.Sources.Tests.Mqtt;

/// <summary>A source test against its own real mosquitto broker (one per test class instance), stopped at the end.</summary>
public abstract class MosquittoHarness(bool persistent = false) : SourceHarness
{
    protected MosquittoBroker Broker { get; } = new(persistent);

    public override void Dispose()
    {
        base.Dispose();
        Broker.Dispose();
    }
}
