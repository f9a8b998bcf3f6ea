namespace Actors.TestInfrastructure.Silos;

/// <summary>How a <see cref="GatewayProcess"/> is started: the cluster it serves and the HTTP port it listens on.</summary>
public sealed record GatewayProcessOptions
{
    /// <summary><c>Actors:Redis</c>; null makes the gateway look for a silo on localhost.</summary>
    public string? Redis { get; init; }

    /// <summary><c>Actors:ClusterId</c>; must match the silos'.</summary>
    public string ClusterId { get; init; } = "actors";

    /// <summary><c>Actors:ServiceId</c>; must match the silos'.</summary>
    public string ServiceId { get; init; } = "actors";

    /// <summary>The HTTP port on 127.0.0.1; null allocates a free one. Pass the old port to restart "in place".</summary>
    public int? HttpPort { get; init; }

    /// <summary>More environment variables (null value: remove), applied last so they can override the ones above.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>How long a start may take until the gateway logged "Application started" and its port accepts.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a graceful stop may take.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Path of Actors.Gateway.dll; null finds the built one (see <see cref="GatewayProcess.LocateGatewayAssembly"/>).</summary>
    public string? AssemblyPath { get; init; }
}
