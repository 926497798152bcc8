using AiFactory.Edge.Core.Samples;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Config;

/// <summary>A source as the configuration declares it: its name, type, the tags it produces, and how to create it.</summary>
public sealed record SourceDefinition(string Name, string Type, IReadOnlyList<string> Tags, Func<ILoggerFactory, ISampleSource> Create)
{
    /// <summary>The source's configuration text as read (no positions): equal fingerprints mean an unchanged source on reload.</summary>
    public string Fingerprint { get; init; } = string.Empty;
}
