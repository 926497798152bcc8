namespace AiFactory.Hub.Admin;

/// <summary>Body of <c>POST …/users</c>: who the key is for and its role.</summary>
public sealed record CreateUserRequest(string? Name, string? Role);
