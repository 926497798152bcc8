namespace AiFactory.Hub.Models;

/// <summary>A registered model package, without its files.</summary>
/// <param name="PackageId">SHA-256 of its manifest (64 hex digits).</param>
/// <param name="Name">The card's name.</param>
/// <param name="Version">The card's version.</param>
/// <param name="Task"><c>anomaly</c> or <c>classification</c>.</param>
/// <param name="KeyId">The key that signed it.</param>
/// <param name="Signature">The signature of the manifest (base64).</param>
/// <param name="Manifest">The manifest text: one line per file with its SHA-256.</param>
/// <param name="SizeBytes">The files' total size.</param>
/// <param name="CreatedUtc">When it was pushed.</param>
/// <param name="CreatedBy">Who pushed it.</param>
/// <param name="LatencyP99Ms">The card's <c>runtime.latency_p99_ms</c>: the latency rule of its deployments; null: none.</param>
public sealed record PackageInfo(
    string PackageId, string Name, string Version, string Task, string KeyId, string Signature, string Manifest, long SizeBytes, DateTimeOffset CreatedUtc, string CreatedBy, double? LatencyP99Ms);
