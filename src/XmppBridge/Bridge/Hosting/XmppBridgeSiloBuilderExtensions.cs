using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.XmppBridge.Bridge.Hosting;

/// <summary><c>AddXmppBridge()</c>: makes the silo a Jabber client (docs/xmpp-bridge.md).</summary>
public static class XmppBridgeSiloBuilderExtensions
{
    /// <summary>
    /// Adds the XMPP bridge, configured from <c>Actors:Xmpp</c> and then <paramref name="configure"/>. Without a
    /// configured <see cref="XmppBridgeOptions.Jid"/> the silo runs without the bridge and logs that once at startup.
    /// Invalid settings fail the silo's start with messages naming each option.
    /// </summary>
    public static ISiloBuilder AddXmppBridge(this ISiloBuilder builder, Action<XmppBridgeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var probe = new XmppBridgeOptions();
        builder.Configuration.GetSection(XmppBridgeOptions.SectionName).Bind(probe);
        configure?.Invoke(probe);
        if (!probe.IsConfigured)
        {
            builder.Services.AddHostedService<XmppBridgeDisabledNotice>();
            return builder;
        }

        var options = builder.Services.AddOptions<XmppBridgeOptions>().BindConfiguration(XmppBridgeOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<XmppBridgeOptions>, XmppBridgeOptionsValidator>();
        builder.Services.AddSingleton<SiloHealthMonitor>();
        builder.Services.AddSingleton<XmppBridgeService>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<XmppBridgeService>());
        return builder;
    }

    private sealed class XmppBridgeDisabledNotice(ILogger<XmppBridgeService> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            BridgeLog.LogBridgeDisabled(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
