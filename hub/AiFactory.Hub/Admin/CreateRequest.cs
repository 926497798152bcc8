namespace AiFactory.Hub.Admin;

/// <summary>Body of the admin routes that create a tenancy object.</summary>
/// <param name="Id">The new object's id.</param>
/// <param name="Name">Its display name (defaults to the id).</param>
public sealed record CreateRequest(string? Id, string? Name);
