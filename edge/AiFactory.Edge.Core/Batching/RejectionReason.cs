namespace AiFactory.Edge.Core.Batching;

public enum RejectionReason
{
    WrongLength = 0,
    NonFinite = 1,
    ResultTooSmall = 2,
}
