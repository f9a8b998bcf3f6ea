using Actors.TestInfrastructure.Xmpp;

namespace Actors.Fixtures.Tests;

/// <summary>Proves a server carries a real message: slixmpp receiver and sender, two accounts.</summary>
internal static class XmppMessaging
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static string Script => Path.Combine(AppContext.BaseDirectory, "scripts", "xmpp_message.py");

    public static async Task RegisterPairAsync(EjabberdCluster cluster, CancellationToken ct)
    {
        await cluster.RegisterAsync("alice", "alice-secret", ct);
        await cluster.RegisterAsync("bob", "bob-secret", ct);
    }

    public static async Task RegisterPairAsync(IXmppTestServer server, CancellationToken ct)
    {
        await server.RegisterAsync("alice", "alice-secret", ct);
        await server.RegisterAsync("bob", "bob-secret", ct);
    }

    public static async Task<string> SendAliceToBobAsync(IXmppTestServer server, string body, CancellationToken ct)
    {
        string[] transport = server.Security == XmppSecurity.StartTls ? ["--tls", server.CertificatePath!] : ["--plain"];
        var port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var receiver = await SlixmppScript.StartAsync(
            Script, ["receive", $"bob@{server.Domain}/test", "bob-secret", server.Host, port, .. transport, "--timeout", "25"], ct);
        await receiver.WaitForOutputAsync(line => line == "READY", Timeout, ct);

        var sent = await SlixmppScript.RunAsync(
            Script, ["send", $"alice@{server.Domain}/test", "alice-secret", server.Host, port, .. transport, "--to", $"bob@{server.Domain}", "--body", body], Timeout, ct);
        sent.EnsureSuccess("slixmpp sender");

        var received = await receiver.WaitForOutputAsync(line => line.StartsWith("RECEIVED ", StringComparison.Ordinal), Timeout, ct);
        (await receiver.WaitForExitAsync(Timeout, ct)).Should().BeTrue();
        receiver.ExitCode.Should().Be(0, receiver.RecentOutput);
        return received["RECEIVED ".Length..];
    }
}
