using System.Globalization;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.FaultInjection.Tests.Harness;

/// <summary>
/// The XMPP side of the system under test: accounts on the shared Prosody, and the <c>Actors:Xmpp:*</c> settings every
/// silo process gets — all silos share the bare JID <c>silo@localhost</c> with their name as resource (docs/xmpp-bridge.md).
/// </summary>
internal static class FaultXmpp
{
    public const string SiloUser = "silo";

    public static readonly string[] Users = [SiloUser, XmppLoadGenerator.WriterUser, XmppWatcher.OperatorUser];

    public static string PasswordOf(string user) => user + "-secret";

    public static string SiloAccount(ProsodyServer prosody) => $"{SiloUser}@{prosody.Domain}";

    /// <summary>The client options of a test account on the shared Prosody, trusting its certificate.</summary>
    public static XmppClientOptions ClientOptions(ProsodyServer prosody, string user, string resource) => new()
    {
        Jid = Jid.Parse($"{user}@{prosody.Domain}/{resource}"),
        Password = PasswordOf(user),
        Host = prosody.Host,
        Port = prosody.Port,
        TrustedCertificate = prosody.Certificate,
        IqTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The environment variables of a silo with the bridge on; <paramref name="crashHints"/> sets <c>Actors:Xmpp:CrashHints</c>.</summary>
    public static Dictionary<string, string?> SiloEnvironment(ProsodyServer prosody, bool crashHints) => new(StringComparer.Ordinal)
    {
        ["Actors__Xmpp__Jid"] = SiloAccount(prosody),
        ["Actors__Xmpp__Password"] = PasswordOf(SiloUser),
        ["Actors__Xmpp__Host"] = prosody.Host,
        ["Actors__Xmpp__Port"] = prosody.Port.ToString(CultureInfo.InvariantCulture),
        ["Actors__Xmpp__TrustedCertificatePath"] = prosody.CertificatePath,
        ["Actors__Xmpp__Writers__0"] = $"{XmppLoadGenerator.WriterUser}@{prosody.Domain}",
        ["Actors__Xmpp__Operators__0"] = $"{XmppWatcher.OperatorUser}@{prosody.Domain}",
        ["Actors__Xmpp__CrashHints"] = crashHints ? "true" : "false",
    };
}
