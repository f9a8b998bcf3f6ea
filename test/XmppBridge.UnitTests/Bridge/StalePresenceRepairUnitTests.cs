using System.Net;
using System.Text;
using System.Text.Json;
using Actors.XmppBridge.Bridge;
using Actors.XmppBridge.Client.Stanzas;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.XmppBridge.UnitTests.Bridge;

/// <summary>What the stale-presence repair asks of ejabberd's admin API (the real API: EjabberdClusterClientTests).</summary>
public sealed class StalePresenceRepairUnitTests
{
    [Fact]
    public async Task Repair_RosterWithEveryKindOfSubscription_SaysUnavailableToThoseWhoSeeItsPresenceAndItsOwnAccount()
    {
        var handler = new RecordingHandler("""
            [{"jid":"ops@example.org","nick":"","subscription":"both","ask":"none","group":""},
             {"jid":"watcher@example.org","subscription":"from"},
             {"jid":"silo-2@example.org","subscription":"to"},
             {"jid":"stranger@example.org","subscription":"none"},
             {"jid":"OPS@example.org","subscription":"from"}]
            """);
        using var repair = new StalePresenceRepair([new Uri("http://xmpp1.example.org:5281/api")], "repair@example.org", "pw", NullLogger.Instance, handler);

        var told = await repair.RepairAsync(Jid.Parse("silo-1@example.org/silo-1"), TestContext.Current.CancellationToken);

        told.Should().Be(3);
        handler.Requests[0].Path.Should().Be("/api/get_roster");
        handler.Requests[0].Body.GetProperty("user").GetString().Should().Be("silo-1");
        handler.Requests[0].Body.GetProperty("host").GetString().Should().Be("example.org");
        var sends = handler.Requests.Skip(1).ToList();
        sends.Should().OnlyContain(r => r.Path == "/api/send_stanza" && r.Body.GetProperty("from").GetString() == "silo-1@example.org/silo-1");
        sends.Select(r => r.Body.GetProperty("to").GetString()).Should().Equal("ops@example.org", "watcher@example.org", "silo-1@example.org");
        sends.Should().OnlyContain(r => r.Body.GetProperty("stanza").GetString()!.Contains("type=\"unavailable\"", StringComparison.Ordinal));
        handler.Requests.Should().OnlyContain(r => r.Authorization == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("repair@example.org:pw")));
        handler.Requests.Should().OnlyContain(r => r.ContentLength > 0, "ejabberd refuses chunked bodies");
    }

    [Fact]
    public async Task Repair_ApiRefuses_ThrowsWithTheAnswer()
    {
        var handler = new RecordingHandler("""{"status":"error","code":32,"message":"AccessRules: Account does not have the right to perform the operation."}""", HttpStatusCode.Forbidden);
        using var repair = new StalePresenceRepair([new Uri("http://xmpp1.example.org:5281/api/")], null, null, NullLogger.Instance, handler);

        var act = () => repair.RepairAsync(Jid.Parse("silo-1@example.org/silo-1"), TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<HttpRequestException>()).Which.Message.Should().Contain("get_roster answered 403").And.Contain("AccessRules");
        handler.Requests.Should().ContainSingle().Which.Authorization.Should().BeNull();
    }

    [Fact]
    public async Task Repair_FirstNodesApiUnreachable_UsesTheNext()
    {
        var handler = new RecordingHandler("""[{"jid":"ops@example.org","subscription":"both"}]""") { Unreachable = "xmpp1.example.org" };
        using var repair = new StalePresenceRepair([new Uri("http://xmpp1.example.org:5281/api"), new Uri("http://xmpp2.example.org:5281/api")], null, null, NullLogger.Instance, handler);

        var told = await repair.RepairAsync(Jid.Parse("silo-1@example.org/silo-1"), TestContext.Current.CancellationToken);

        told.Should().Be(2);
        handler.Requests.Should().OnlyContain(r => r.Host == "xmpp2.example.org", "the dead node is tried once, then the one that answered is kept");
        handler.Refused.Should().Be(1);
    }

    private sealed record Request(string Host, string Path, JsonElement Body, string? Authorization, long? ContentLength);

    private sealed class RecordingHandler(string roster, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        public List<Request> Requests { get; } = [];

        public string? Unreachable { get; init; }

        public int Refused { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.Host == Unreachable)
            {
                Refused++;
                throw new HttpRequestException("Connection refused (simulated)");
            }

            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            Requests.Add(new Request(request.RequestUri.Host, request.RequestUri.AbsolutePath, JsonDocument.Parse(body).RootElement.Clone(), request.Headers.Authorization?.ToString(), request.Content.Headers.ContentLength));
            var answer = request.RequestUri.AbsolutePath.EndsWith("get_roster", StringComparison.Ordinal) ? roster : "0";
            return new HttpResponseMessage(status) { Content = new StringContent(answer, Encoding.UTF8, "application/json") };
        }
    }
}
