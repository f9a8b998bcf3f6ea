using System.Globalization;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

using Actors.TestInfrastructure.Load;

namespace Actors.FaultInjection.Tests.Harness;

/// <summary>
/// The XMPP side of the system under test: accounts on the shared Prosody, and the <c>Actors:Xmpp:*</c> settings every
/// silo process gets — all silos share the bare JID <c>silo@localhost</c> with their name as resource (docs/xmpp-bridge.md).
/// </summary>
internal static class FaultXmpp
{
    public const string SiloUser = "silo";

    /// <summary>The account of ejabberd's <c>admin</c> ACL the silos use for the stale-presence repair (scenario 15m).</summary>
    public const string AdminUser = "admin";

    public static readonly string[] Users = [SiloUser, XmppLoadGenerator.WriterUser, XmppWatcher.OperatorUser];

    public static string PasswordOf(string user) => user + "-secret";

    public static string SiloAccount(IXmppTestServer server) => $"{SiloUser}@{server.Domain}";

    /// <summary>
    /// The client options of a test account on <paramref name="server"/>, trusting its certificate; with
    /// <paramref name="servers"/>, multi-homed over those (the nodes of an ejabberd cluster, one certificate).
    /// </summary>
    public static XmppClientOptions ClientOptions(IXmppTestServer server, string user, string resource, IReadOnlyList<XmppServerEndpoint>? servers = null)
    {
        var options = new XmppClientOptions
        {
            Jid = Jid.Parse($"{user}@{server.Domain}/{resource}"),
            Password = PasswordOf(user),
            Host = server.Host,
            Port = server.Port,
            TrustedCertificate = server.Certificate,
            IqTimeout = TimeSpan.FromSeconds(30),
        };
        foreach (var endpoint in servers ?? [])
        {
            options.Servers.Add(endpoint);
        }

        return options;
    }

    /// <summary>
    /// The environment variables of a silo with the bridge on; <paramref name="crashHints"/> sets <c>Actors:Xmpp:CrashHints</c>,
    /// <paramref name="servers"/> sets <c>Actors:Xmpp:Servers</c> (multi-homed).
    /// </summary>
    public static Dictionary<string, string?> SiloEnvironment(IXmppTestServer server, bool crashHints, IReadOnlyList<XmppServerEndpoint>? servers = null, IReadOnlyList<Uri>? adminApis = null)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Actors__Xmpp__Jid"] = SiloAccount(server),
            ["Actors__Xmpp__Password"] = PasswordOf(SiloUser),
            ["Actors__Xmpp__Host"] = server.Host,
            ["Actors__Xmpp__Port"] = server.Port.ToString(CultureInfo.InvariantCulture),
            ["Actors__Xmpp__TrustedCertificatePath"] = server.CertificatePath,
            ["Actors__Xmpp__Writers__0"] = $"{XmppLoadGenerator.WriterUser}@{server.Domain}",
            ["Actors__Xmpp__Operators__0"] = $"{XmppWatcher.OperatorUser}@{server.Domain}",
            ["Actors__Xmpp__CrashHints"] = crashHints ? "true" : "false",
        };
        for (var i = 0; i < (servers?.Count ?? 0); i++)
        {
            environment[$"Actors__Xmpp__Servers__{i.ToString(CultureInfo.InvariantCulture)}"] = servers![i].ToString();
        }

        for (var i = 0; i < (adminApis?.Count ?? 0); i++)
        {
            environment[$"Actors__Xmpp__AdminApiUrls__{i.ToString(CultureInfo.InvariantCulture)}"] = adminApis![i].ToString();
        }

        if (adminApis is { Count: > 0 })
        {
            environment["Actors__Xmpp__AdminJid"] = $"{AdminUser}@{server.Domain}";
            environment["Actors__Xmpp__AdminPassword"] = PasswordOf(AdminUser);
        }

        return environment;
    }
}
