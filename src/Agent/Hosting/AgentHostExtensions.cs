using Actors.Agent.Options;
using Actors.Agent.Supervision;
using Actors.Agent.Xmpp;
using Actors.Contracts.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Agent.Hosting;

/// <summary>Registers the machine agent in a host.</summary>
public static class AgentHostExtensions
{
    /// <summary>The agent's OpenTelemetry service name (<c>service.name</c>, Prometheus' <c>job</c> when OTLP-fed).</summary>
    public const string ServiceName = "actors-agent";

    /// <summary>
    /// Adds the agent: <see cref="AgentOptions"/> from <c>Actors:Agent</c> (validated at start), the supervisor,
    /// when a JID is configured the XMPP side, and OpenTelemetry as <c>actors-agent</c> (its instruments, OTLP with an
    /// endpoint, a Prometheus listener with <c>Actors:Metrics:Port</c>). The host may take as long to stop as the
    /// slowest group's grace times.
    /// </summary>
    public static IHostApplicationBuilder AddActorsAgent(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new AgentOptions();
        builder.Configuration.GetSection(AgentOptions.SectionName).Bind(options);
        var errors = AgentOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(AgentOptions.SectionName, typeof(AgentOptions), errors);
        }

        // The same defaults as silos and gateways (docs/observability.md): AgentInstruments and the XMPP client's
        // stanza counters are on the shared meter, so one listener or exporter serves them all.
        builder.AddActorsTelemetry(ServiceName);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(StepWriter.Console());
        services.AddSingleton(sp => new ProcessSupervisor(options, sp.GetRequiredService<StepWriter>(), sp.GetRequiredService<ILogger<ProcessSupervisor>>()));
        services.AddHostedService<SupervisorHostedService>();
        // Registered after the supervisor, so it stops first: it says unavailable while the XMPP server (often one of
        // the processes) still runs, instead of reconnecting to a server that is going away.
        if (options.Xmpp.IsConfigured)
        {
            services.AddHostedService<AgentXmppService>();
        }
        // Silos drain for up to 40 s; groups stop one after the other.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(5));
        return builder;
    }
}
