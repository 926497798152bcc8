using System.Text.Json.Serialization;

namespace AiFactory.Contracts;

/// <summary>Source-generated camelCase JSON metadata for the wire types.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HistogramData))]
[JsonSerializable(typeof(ModelPackageUpload))]
[JsonSerializable(typeof(DesiredState))]
[JsonSerializable(typeof(EdgeModelReport))]
[JsonSerializable(typeof(StationEvent))]
[JsonSerializable(typeof(StationRawChunk))]
[JsonSerializable(typeof(StationWindowSummary))]
[JsonSerializable(typeof(UplinkRecord))]
[JsonSerializable(typeof(UplinkBatch))]
[JsonSerializable(typeof(UplinkAck))]
public sealed partial class AiFactoryJsonContext : JsonSerializerContext;
