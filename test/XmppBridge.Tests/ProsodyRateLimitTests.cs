using System.Diagnostics;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests;

/// <summary>
/// Prosody's own rate limit is on in every config users run (issue 15, item 6; docs/security.md): mod_limits reads at
/// most 32 kB/s from an ordinary account, while the silos' accounts, listed in <c>unlimited_jids</c>, are not slowed.
/// A real Prosody with <see cref="ProsodyServer.ClientLimitsConfig"/>; each account sends 160 kB to itself.
/// </summary>
public sealed class ProsodyRateLimitTests
{
    private const int Messages = 40;
    private const int MessageBytes = 4000;

    [Fact]
    public async Task Flood_FromAnOrdinaryAccount_IsThrottled_WhileASiloAccountIsNot()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ProsodyServer.StartNewAsync(new ProsodyServerOptions { RateLimits = true, UnlimitedJids = ["silo@localhost"] }, ct);
        await server.RegisterAsync("eve", "eve-secret", ct);
        await server.RegisterAsync("silo", "silo-secret", ct);
        await using var eve = await TestClient.ConnectAsync(server, "eve", "eve-secret", ct);
        await using var silo = await TestClient.ConnectAsync(server, "silo", "silo-secret", ct);

        var eveTook = await SendToSelfAsync(eve, ct);
        var siloTook = await SendToSelfAsync(silo, ct);

        // 160 kB read at 32 kB/s: Prosody pauses the connection after each read of up to 8 KiB for as long as it is
        // worth, so all but the last read's bytes cost at least (160,000 - 8,192) / 32,000 = 4.7 s. A lower bound:
        // a slower machine only makes it longer.
        eveTook.Should().BeGreaterThan(TimeSpan.FromSeconds(3), "an ordinary account is read at 32 kB/s at most");
        siloTook.Should().BeLessThan(eveTook / 3, "the silo's account is in unlimited_jids");
    }

    [Fact]
    public void DeployedConfigs_RateLimit_MatchesTheFixture()
    {
        // What users run (./actors up writes its config; compose mounts deploy/prosody) has the limit tested here.
        var root = RepositoryRoot();
        foreach (var config in new[] { Path.Combine(root, "deploy", "prosody", "prosody.cfg.lua"), Path.Combine(root, "actors") })
        {
            var text = File.ReadAllText(config);
            text.Should().Contain(ProsodyServer.ClientLimitsConfig, config).And.Contain("\"limits\" }", config).And.Contain("unlimited_jids = {", config);
        }
    }

    private static async Task<TimeSpan> SendToSelfAsync(TestClient client, CancellationToken ct)
    {
        var body = new string('x', MessageBytes);
        var last = $"last-{Guid.NewGuid():N}";
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < Messages; i++)
        {
            var message = new Message(client.FullJid, i == Messages - 1 ? last : body);
            await client.Client.SendAsync(message, ct);
        }

        await client.NextMessageAsync(m => m.Body == last, ct, TimeSpan.FromSeconds(60));
        return stopwatch.Elapsed;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Actors.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Actors.sln above {AppContext.BaseDirectory}.");
    }
}
