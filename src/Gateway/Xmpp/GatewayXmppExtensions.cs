namespace Actors.Gateway.Xmpp;

/// <summary>Registers the gateway's Jabber presence (DESIGN §9) when <c>Gateway:Xmpp</c> names an account.</summary>
internal static class GatewayXmppExtensions
{
    public static IServiceCollection AddGatewayXmpp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayXmppOptions>().BindConfiguration(GatewayXmppOptions.SectionName);
        var options = new GatewayXmppOptions();
        configuration.GetSection(GatewayXmppOptions.SectionName).Bind(options);
        if (options.IsConfigured)
        {
            services.AddHostedService<GatewayXmppService>();
        }

        return services;
    }
}
