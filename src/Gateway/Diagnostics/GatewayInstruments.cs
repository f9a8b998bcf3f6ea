using System.Diagnostics.Metrics;
using Actors.Contracts.Hosting;

namespace Actors.Gateway.Diagnostics;

/// <summary>
/// The gateway's own metrics, beside what ASP.NET Core reports (<c>http.server.request.duration</c> by route and status):
/// the problems it answers with, by their stable type, which a status code alone does not tell apart (a <c>409</c> is
/// a failed patch or an index still building). Names are constants; Prometheus shows <c>actors_gateway_problems_total</c>.
/// </summary>
internal static class GatewayInstruments
{
    public const string ProblemsName = "actors.gateway.problems";

    private static readonly Meter Meter = new(ActorsTelemetry.MeterName, ActorsTelemetry.Version);

    public static readonly Counter<long> Problems = Meter.CreateCounter<long>(
        ProblemsName, "{response}", "Problem responses (RFC 9457), by type: the last segment of the problem type URI.");
}
