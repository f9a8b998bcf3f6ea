using System.Net;

namespace Actors.Silo.Options;

/// <summary>
/// How this silo is named and reached; bound from <c>Actors:Silo</c> (environment: <c>Actors__Silo__SiloPort</c>, …).
/// Several silos on one machine need distinct ports.
/// </summary>
public sealed class SiloEndpointOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Actors:Silo";

    /// <summary>The silo's name, shown in /v1/cluster and used as the default XMPP resource. Default: <c>silo-&lt;SiloPort&gt;</c>.</summary>
    public string? Name { get; set; }

    /// <summary>The port silos use to talk to each other.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port clients (the gateway, ASP.NET apps) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients use to reach this one. Default: 127.0.0.1 (loopback).</summary>
    public string AdvertisedAddress { get; set; } = IPAddress.Loopback.ToString();

    /// <summary>
    /// Listen on every interface instead of only <see cref="AdvertisedAddress"/>: for an advertised address that is not
    /// the machine's own (NAT, a load balancer). Off by default, so the silo ports are not exposed on other networks.
    /// </summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>The name this silo goes by.</summary>
    public string EffectiveName => string.IsNullOrWhiteSpace(Name) ? $"silo-{SiloPort}" : Name;
}
