namespace AiFactory.Hub.Deployments;

/// <summary>Body of <c>POST …/deployments/{id}/rollback</c>.</summary>
/// <param name="Reason">Why (kept in the deployment and the audit log).</param>
public sealed record RollbackRequest(string? Reason);
