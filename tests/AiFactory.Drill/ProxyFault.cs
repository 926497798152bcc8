namespace AiFactory.Drill;

/// <summary>What the <see cref="FaultProxy"/> does to the traffic between an edge and the hub.</summary>
internal enum ProxyFault
{
    /// <summary>Forwards everything as it comes.</summary>
    None,

    /// <summary>Swallows every byte both ways; a connection that lost bytes stays silent until the edge gives it up.</summary>
    Drop,

    /// <summary>Forwards every chunk after <see cref="FaultProxy.Delay"/>.</summary>
    Delay,

    /// <summary>Requests reach the hub, but each answer is replaced by a TCP reset: applied, never acknowledged.</summary>
    Reset,

    /// <summary>
    /// Every open connection is closed and each new one is reset at once. (A connect is reset rather than refused: closing
    /// and binding the listening port again proved unreliable while an accept is pending.)
    /// </summary>
    Cut,
}
