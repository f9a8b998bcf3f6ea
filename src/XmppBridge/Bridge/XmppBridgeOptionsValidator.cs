using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Stanzas;
using Microsoft.Extensions.Options;

namespace Actors.XmppBridge.Bridge;

/// <summary>Fails the silo's start with messages naming each wrong <see cref="XmppBridgeOptions"/> setting.</summary>
internal sealed class XmppBridgeOptionsValidator : IValidateOptions<XmppBridgeOptions>
{
    /// <summary>Above this a stanza would exceed Prosody's default 256 KiB limit once wrapped in XML.</summary>
    public const int MaxWriteBytesLimit = 250 * 1024;

    private const string Owner = "Actors:Xmpp";

    public ValidateOptionsResult Validate(string? name, XmppBridgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!Jid.TryParse(options.Jid, out var jid) || jid.Local is null || !jid.IsBare)
        {
            failures.Add($"{Owner}:{nameof(XmppBridgeOptions.Jid)} '{options.Jid}' must be a bare JID user@domain (the resource goes in {nameof(XmppBridgeOptions.Resource)}).");
        }

        if (string.IsNullOrEmpty(options.Password))
        {
            failures.Add($"{Owner}:{nameof(XmppBridgeOptions.Password)} is required when {nameof(XmppBridgeOptions.Jid)} is set.");
        }

        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"{Owner}:{nameof(XmppBridgeOptions.Port)} {options.Port} must be 1-65535.");
        }

        foreach (var server in options.Servers)
        {
            if (!XmppServerEndpoint.TryParse(server, out _))
            {
                failures.Add($"{Owner}:{nameof(XmppBridgeOptions.Servers)} entry '{server}' must be host:port with a port of 1-65535.");
            }
        }

        foreach (var api in options.AdminApiUrls)
        {
            if (!Uri.TryCreate(api, UriKind.Absolute, out var apiUri) || apiUri.Scheme is not ("http" or "https"))
            {
                failures.Add($"{Owner}:{nameof(XmppBridgeOptions.AdminApiUrls)} entry '{api}' must be an absolute http(s) URL.");
            }
        }

        if (options.TrustedCertificatePath is { Length: > 0 } path && !File.Exists(path))
        {
            failures.Add($"{Owner}:{nameof(XmppBridgeOptions.TrustedCertificatePath)} '{path}' does not exist.");
        }

        if (options.MaxWriteBytes is < 1 or > MaxWriteBytesLimit)
        {
            failures.Add($"{Owner}:{nameof(XmppBridgeOptions.MaxWriteBytes)} {options.MaxWriteBytes} must be 1-{MaxWriteBytesLimit} (XMPP servers close streams over ~256 KiB; send larger documents over HTTP).");
        }

        if (options.MaxWriteAge <= TimeSpan.Zero)
        {
            failures.Add($"{Owner}:{nameof(XmppBridgeOptions.MaxWriteAge)} must be positive.");
        }

        if (options.StatisticsInterval < TimeSpan.FromSeconds(1) || options.HealthProbeInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Owner}:{nameof(XmppBridgeOptions.StatisticsInterval)} and {nameof(XmppBridgeOptions.HealthProbeInterval)} must be at least one second.");
        }

        if (options.CrashHintConnectTimeout <= TimeSpan.Zero || options.CrashHintConnectTimeout > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{Owner}:{nameof(XmppBridgeOptions.CrashHintConnectTimeout)} must be positive and at most 30 seconds.");
        }

        if (!TrustedAccounts.TryCreate(options.Silos, own: null, "silo", out _, out var silosError))
        {
            failures.Add($"{Owner}:{nameof(XmppBridgeOptions.Silos)}: {silosError}.");
        }

        if (!TrustedAccounts.TryCreate(options.Nodes, own: null, "gateway", out _, out var nodesError))
        {
            failures.Add($"{Owner}:{nameof(XmppBridgeOptions.Nodes)}: {nodesError}.");
        }

        Roles(nameof(XmppBridgeOptions.Watchers), options.Watchers);
        Roles(nameof(XmppBridgeOptions.Readers), options.Readers);
        Roles(nameof(XmppBridgeOptions.Writers), options.Writers);
        Roles(nameof(XmppBridgeOptions.Operators), options.Operators);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Roles(string role, List<string> entries)
        {
            foreach (var entry in entries)
            {
                if (!JidPattern.TryParse(entry, out _))
                {
                    failures.Add($"{Owner}:{role} entry '{entry}' must be a bare JID (user@domain), a prefix (user-*@domain) or a whole domain (*@domain).");
                }
            }
        }
    }
}
