namespace AiFactory.Hub.Admin;

/// <summary>Body of <c>POST …/users</c>: who the key is for, its role and the named user it belongs to (default: the key itself).</summary>
public sealed record CreateUserRequest(string? Name, string? Role, string? Owner = null);
