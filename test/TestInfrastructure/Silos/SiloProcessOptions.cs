namespace Actors.TestInfrastructure.Silos;

/// <summary>How a <see cref="SiloProcess"/> is started: the cluster it joins and its ports.</summary>
public sealed record SiloProcessOptions
{
    /// <summary><c>Actors:Redis</c>; null starts the embedded default (localhost clustering, in-memory storage).</summary>
    public string? Redis { get; init; }

    /// <summary><c>Actors:ClusterId</c>: scopes membership. Give every test its own so tests never see each other's silos.</summary>
    public string ClusterId { get; init; } = "actors";

    /// <summary><c>Actors:ServiceId</c>: scopes the grain state keys in Redis.</summary>
    public string ServiceId { get; init; } = "actors";

    /// <summary><c>Actors:Silo:Name</c>; null lets the silo use its default (<c>silo-&lt;SiloPort&gt;</c>).</summary>
    public string? Name { get; init; }

    /// <summary><c>Actors:Silo:SiloPort</c>; null allocates a free port.</summary>
    public int? SiloPort { get; init; }

    /// <summary><c>Actors:Silo:GatewayPort</c>; null allocates a free port.</summary>
    public int? GatewayPort { get; init; }

    /// <summary>More environment variables (null value: remove), applied last so they can override the ones above.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>How long a start may take until the silo logged "Application started" and its gateway accepts.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a graceful stop may take (the silo's own shutdown timeout is 30 s).</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Path of the silo executable (Actors.Silo.Host.dll); null finds the built one (see <see cref="SiloProcess.LocateSiloAssembly"/>).</summary>
    public string? AssemblyPath { get; init; }
}
