using System.Text.Json.Serialization;

namespace AiFactory.Contracts;

/// <summary>Source-generated camelCase JSON metadata for the wire types.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HistogramData))]
[JsonSerializable(typeof(StationEvent))]
public sealed partial class AiFactoryJsonContext : JsonSerializerContext;
