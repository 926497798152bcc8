namespace AiFactory.Hub.Models;

/// <summary>A package that passed every check on upload, ready to store.</summary>
public sealed record ValidatedPackage(
    string PackageId, string Name, string Version, string Task, string KeyId, string Signature, string Manifest, string Card, double? LatencyP99Ms, IReadOnlyDictionary<string, byte[]> Files)
{
    public long SizeBytes => Files.Values.Sum(f => (long)f.Length);
}
