namespace Actors.Contracts;

/// <summary>Where a root is active: the hosting silo's name and Orleans address.</summary>
/// <param name="SiloName">The silo's configured name (also the default resource of its JID).</param>
/// <param name="SiloAddress">The silo's Orleans address, e.g. <c>S127.0.0.1:11111:123456789</c>.</param>
[GenerateSerializer, Immutable]
public sealed record RootLocation([property: Id(0)] string SiloName, [property: Id(1)] string SiloAddress);
