using System.Xml.Linq;
using Actors.XmppBridge.Client.AdHoc;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.UnitTests.AdHoc;

/// <summary>
/// The XEP-0050 exchange, request by request, with a scripted command table: what is listed for which role, the form,
/// completion, cancellation, and every error — checking that nothing runs unless the request was right.
/// </summary>
public sealed class AdHocResponderUnitTests
{
    private static readonly XNamespace Cmd = "http://jabber.org/protocol/commands";
    private static readonly XNamespace X = "jabber:x:data";
    private static readonly XNamespace Items = "http://jabber.org/protocol/disco#items";
    private static readonly XNamespace Info = "http://jabber.org/protocol/disco#info";
    private static readonly Jid Self = Jid.Parse("agent@example.org/box");
    private static readonly Jid Operator = Jid.Parse("ops@example.org/gajim");
    private static readonly Jid Watcher = Jid.Parse("eve@example.org/phone");
    private static readonly Jid Stranger = Jid.Parse("mallory@elsewhere.org/x");

    private readonly List<string> _ran = [];
    private readonly AdHocResponder _responder;

    public AdHocResponderUnitTests()
    {
        ChatCommand[] commands =
        [
            new("help", "", "help", BridgeRoles.Watcher, _ => Task.FromResult<ChatReply>("help")),
            new("processes", "", "processes", BridgeRoles.Watcher, _ => Task.FromResult<ChatReply>("1 of 1 processes running")) { AdHoc = new AdHocSpec("Processes") },
            new("grow", "silos|gateways <N>", "grow", BridgeRoles.Operator, _ => Task.FromResult<ChatReply>("grown"))
            {
                AdHoc = new AdHocSpec("Grow")
                {
                    Fields = () =>
                    [
                        new FormField("kind", "What", FormFieldType.ListSingle) { Options = ["silos", "gateways"] },
                        new FormField("count", "How many", FormFieldType.TextSingle) { Range = (1, 16) },
                    ],
                    Arguments = v => v["kind"] + " " + v["count"],
                },
            },
        ];
        var roles = new RoleSet([], [], [], ["ops@example.org"], "example.org");
        _responder = new AdHocResponder(commands, roles.Resolve, run =>
        {
            _ran.Add(run.CommandLine);
            return Task.FromResult<ChatReply>(run.CommandLine.StartsWith("grow silos 9", StringComparison.Ordinal) ? "Refused: not that many." : "done: " + run.CommandLine);
        }, new AdHocSessionStore(TimeSpan.FromMinutes(10), 2, 100));
    }

    private static Iq Request(Jid from, XElement command) => new(IqType.Set, command, Self) { From = from, Id = "i" + Guid.NewGuid().ToString("N")[..6] };

    private static XElement Command(string node, string? action = null, string? session = null, XElement? form = null)
    {
        var command = new XElement(Cmd + "command", new XAttribute("node", node));
        if (action is not null)
        {
            command.Add(new XAttribute("action", action));
        }

        if (session is not null)
        {
            command.Add(new XAttribute("sessionid", session));
        }

        if (form is not null)
        {
            command.Add(form);
        }

        return command;
    }

    private static XElement Submit(string kind, string count) =>
        new(X + "x", new XAttribute("type", "submit"),
            new XElement(X + "field", new XAttribute("var", "kind"), new XElement(X + "value", kind)),
            new XElement(X + "field", new XAttribute("var", "count"), new XElement(X + "value", count)));

    private static (string Condition, string? Specific, string? Text) ErrorOf(Iq response)
    {
        response.Type.Should().Be(IqType.Error, response.ToString());
        var error = response.Error!;
        return (error.Condition, error.ApplicationCondition?.Name.LocalName, error.Text);
    }

    [Fact]
    public void Items_ListsOnlyWhatTheRequesterMayRun()
    {
        XElement Query() => new(Items + "query", new XAttribute("node", AdHocResponder.Namespace));

        var forOperator = _responder.Items(new Iq(IqType.Get, Query(), Self) { From = Operator }, Self);
        var forWatcher = _responder.Items(new Iq(IqType.Get, Query(), Self) { From = Watcher }, Self);
        var forStranger = _responder.Items(new Iq(IqType.Get, Query(), Self) { From = Stranger }, Self);

        forOperator.Payload!.Elements(Items + "item").Select(i => (string?)i.Attribute("node")).Should().Equal("processes", "grow");
        forOperator.Payload!.Elements(Items + "item").Select(i => (string?)i.Attribute("jid")).Should().AllBe(Self.ToString());
        forOperator.Payload!.Elements(Items + "item").Select(i => (string?)i.Attribute("name")).Should().Equal("Processes", "Grow");
        forWatcher.Payload!.Elements(Items + "item").Select(i => (string?)i.Attribute("node")).Should().Equal("processes");
        forStranger.Payload!.Elements(Items + "item").Should().BeEmpty();
    }

    [Fact]
    public void NodeInfo_CommandNode_IsAutomationCommandNode_ForbiddenWithoutTheRole()
    {
        XElement Query(string node) => new(Info + "query", new XAttribute("node", node));

        var info = _responder.NodeInfo(new Iq(IqType.Get, Query("grow"), Self) { From = Operator })!;
        info.Payload!.Element(Info + "identity")!.Attribute("type")!.Value.Should().Be("command-node");
        info.Payload!.Elements(Info + "feature").Select(f => f.Attribute("var")!.Value).Should().Contain([Cmd.NamespaceName, X.NamespaceName]);
        ErrorOf(_responder.NodeInfo(new Iq(IqType.Get, Query("grow"), Self) { From = Watcher })!).Condition.Should().Be("forbidden");
        _responder.NodeInfo(new Iq(IqType.Get, Query(AdHocResponder.Namespace), Self) { From = Watcher })!
            .Payload!.Element(Info + "identity")!.Attribute("type")!.Value.Should().Be("command-list");
        _responder.NodeInfo(new Iq(IqType.Get, Query("nothing"), Self) { From = Operator }).Should().BeNull();
    }

    [Fact]
    public async Task Execute_CommandWithoutForm_CompletesInOneStage()
    {
        var response = await _responder.HandleCommandAsync(Request(Watcher, Command("processes", "execute")));

        response.Type.Should().Be(IqType.Result);
        var command = response.Payload!;
        command.Attribute("status")!.Value.Should().Be("completed");
        command.Attribute("node")!.Value.Should().Be("processes");
        command.Attribute("sessionid")!.Value.Should().NotBeNullOrEmpty();
        command.Element(Cmd + "note")!.Attribute("type")!.Value.Should().Be("info");
        command.Element(Cmd + "note")!.Value.Should().Be("done: processes");
        _ran.Should().Equal("processes");
        _responder.Sessions.Count.Should().Be(0);
    }

    [Fact]
    public async Task Execute_FormCommand_SendsTheForm_ThenCompleteRunsIt()
    {
        var first = await _responder.HandleCommandAsync(Request(Operator, Command("grow")));

        var stage = first.Payload!;
        stage.Attribute("status")!.Value.Should().Be("executing");
        stage.Element(Cmd + "actions")!.Attribute("execute")!.Value.Should().Be("complete");
        stage.Element(Cmd + "actions")!.Element(Cmd + "complete").Should().NotBeNull();
        stage.Element(X + "x")!.Attribute("type")!.Value.Should().Be("form");
        _ran.Should().BeEmpty();
        var session = stage.Attribute("sessionid")!.Value;

        var done = await _responder.HandleCommandAsync(Request(Operator, Command("grow", "complete", session, Submit("gateways", "2"))));

        done.Payload!.Attribute("status")!.Value.Should().Be("completed");
        done.Payload!.Attribute("sessionid")!.Value.Should().Be(session);
        _ran.Should().Equal("grow gateways 2");
        _responder.Sessions.Count.Should().Be(0);
    }

    [Fact]
    public async Task Execute_WithTheFormAlready_RunsInOneRequest()
    {
        var done = await _responder.HandleCommandAsync(Request(Operator, Command("grow", "execute", form: Submit("silos", "1"))));

        done.Payload!.Attribute("status")!.Value.Should().Be("completed");
        _ran.Should().Equal("grow silos 1");
    }

    [Fact]
    public async Task Complete_BadValue_IsBadPayload_NothingRuns_AndTheSessionStaysForAFixedForm()
    {
        var session = (await _responder.HandleCommandAsync(Request(Operator, Command("grow")))).Payload!.Attribute("sessionid")!.Value;

        var bad = await _responder.HandleCommandAsync(Request(Operator, Command("grow", "complete", session, Submit("redis", "2"))));

        ErrorOf(bad).Should().Be(("bad-request", "bad-payload", "'redis' is not a choice for 'kind' (What): one of silos, gateways. Nothing was done."));
        bad.Element.Element(Cmd + "command")!.Attribute("sessionid")!.Value.Should().Be(session, "slixmpp finds the session of an error by its echoed sessionid");
        _ran.Should().BeEmpty();
        var fixedUp = await _responder.HandleCommandAsync(Request(Operator, Command("grow", "complete", session, Submit("silos", "2"))));
        fixedUp.Payload!.Attribute("status")!.Value.Should().Be("completed");
        _ran.Should().Equal("grow silos 2");
    }

    [Fact]
    public async Task Complete_HandlerRefuses_CompletesWithAnErrorNote()
    {
        var done = await _responder.HandleCommandAsync(Request(Operator, Command("grow", form: Submit("silos", "9"))));

        done.Payload!.Attribute("status")!.Value.Should().Be("completed");
        done.Payload!.Element(Cmd + "note")!.Attribute("type")!.Value.Should().Be("error");
        done.Payload!.Element(Cmd + "note")!.Value.Should().Be("Refused: not that many.");
    }

    [Fact]
    public async Task Cancel_EndsTheSession_NothingRuns_AndTheSessionIsThenExpired()
    {
        var session = (await _responder.HandleCommandAsync(Request(Operator, Command("grow")))).Payload!.Attribute("sessionid")!.Value;

        var canceled = await _responder.HandleCommandAsync(Request(Operator, Command("grow", "cancel", session, Submit("silos", "1"))));

        canceled.Payload!.Attribute("status")!.Value.Should().Be("canceled");
        canceled.Payload!.Attribute("sessionid")!.Value.Should().Be(session);
        _ran.Should().BeEmpty();
        var late = await _responder.HandleCommandAsync(Request(Operator, Command("grow", "complete", session, Submit("silos", "1"))));
        ErrorOf(late).Should().Match<(string Condition, string? Specific, string? Text)>(e => e.Condition == "not-allowed" && e.Specific == "session-expired" && e.Text!.Contains("Run the command again"));
        _ran.Should().BeEmpty();
    }

    [Fact]
    public async Task Execute_Errors_AreTheXep0050Conditions_WithAText()
    {
        ErrorOf(await _responder.HandleCommandAsync(Request(Operator, Command("nothing"))))
            .Should().Be(("item-not-found", null, "No command 'nothing' here; disco#items on node http://jabber.org/protocol/commands lists yours."));
        ErrorOf(await _responder.HandleCommandAsync(Request(Operator, Command("help"))))
            .Condition.Should().Be("item-not-found", "help is chat only");
        ErrorOf(await _responder.HandleCommandAsync(Request(Watcher, Command("grow"))))
            .Should().Be(("forbidden", null, "'grow' needs the operator role; eve@example.org is a watcher here."));
        ErrorOf(await _responder.HandleCommandAsync(Request(Stranger, Command("processes"))))
            .Should().Be(("forbidden", null, "'processes' needs the watcher role; mallory@elsewhere.org is without a role here."));
        ErrorOf(await _responder.HandleCommandAsync(Request(Operator, Command("grow", "explode"))))
            .Should().Match<(string Condition, string? Specific, string? Text)>(e => e.Condition == "bad-request" && e.Specific == "malformed-action");
        ErrorOf(await _responder.HandleCommandAsync(Request(Operator, Command("grow", "cancel"))))
            .Specific.Should().Be("bad-sessionid");
        ErrorOf(await _responder.HandleCommandAsync(Request(Operator, Command("grow", "complete", "grow:nope", Submit("silos", "1")))))
            .Should().Match<(string Condition, string? Specific, string? Text)>(e => e.Condition == "not-allowed" && e.Specific == "session-expired");
        ErrorOf(await _responder.HandleCommandAsync(Request(Operator, new XElement(Cmd + "command"))))
            .Should().Match<(string Condition, string? Specific, string? Text)>(e => e.Condition == "bad-request" && e.Specific == "bad-payload");
        _ran.Should().BeEmpty();
    }

    [Fact]
    public async Task Session_BelongsToItsRequesterAndNode()
    {
        var session = (await _responder.HandleCommandAsync(Request(Operator, Command("grow")))).Payload!.Attribute("sessionid")!.Value;

        var otherResource = await _responder.HandleCommandAsync(Request(Operator.WithResource("other"), Command("grow", "complete", session, Submit("silos", "1"))));
        var otherNode = await _responder.HandleCommandAsync(Request(Operator, Command("processes", "complete", session)));
        var next = await _responder.HandleCommandAsync(Request(Operator, Command("grow", "next", session)));

        ErrorOf(otherResource).Specific.Should().Be("session-expired");
        ErrorOf(otherNode).Specific.Should().Be("bad-sessionid");
        ErrorOf(next).Specific.Should().Be("bad-action");
        _ran.Should().BeEmpty();
    }

    [Fact]
    public async Task Execute_OverTheSessionCap_IsResourceConstraint()
    {
        await _responder.HandleCommandAsync(Request(Operator, Command("grow")));
        await _responder.HandleCommandAsync(Request(Operator, Command("grow")));

        var third = await _responder.HandleCommandAsync(Request(Operator, Command("grow")));

        ErrorOf(third).Condition.Should().Be("resource-constraint");
        third.Error!.Type.Should().Be(StanzaErrorType.Wait);
    }

    [Fact]
    public async Task Complete_FieldsValidAloneButNotTogether_IsBadPayload_NothingRuns()
    {
        ChatCommand[] commands =
        [
            new("find", "<type> [<index> <op> <value>]", "find", BridgeRoles.Watcher, _ => Task.FromResult<ChatReply>("found"))
            {
                AdHoc = new AdHocSpec("Find")
                {
                    Fields = () =>
                    [
                        new FormField("type", "Type", FormFieldType.TextSingle),
                        new FormField("index", "Index", FormFieldType.TextSingle) { Required = false },
                        new FormField("value", "Value", FormFieldType.TextSingle) { Required = false },
                    ],
                    Check = v => v.ContainsKey("index") == v.ContainsKey("value") ? null : "'index' and 'value' go together.",
                    Arguments = v => v["type"],
                },
            },
        ];
        var ran = new List<string>();
        var responder = new AdHocResponder(commands, _ => BridgeRoles.Watcher, run => { ran.Add(run.CommandLine); return Task.FromResult<ChatReply>("found"); },
            new AdHocSessionStore(TimeSpan.FromMinutes(1), 2, 10));
        XElement Form(params (string Var, string Value)[] fields) =>
            new(X + "x", new XAttribute("type", "submit"), fields.Select(f => new XElement(X + "field", new XAttribute("var", f.Var), new XElement(X + "value", f.Value))));

        var half = await responder.HandleCommandAsync(Request(Watcher, Command("find", form: Form(("type", "topic"), ("index", "status")))));
        var whole = await responder.HandleCommandAsync(Request(Watcher, Command("find", form: Form(("type", "topic"), ("index", "status"), ("value", "1")))));

        ErrorOf(half).Should().Be(("bad-request", "bad-payload", "'index' and 'value' go together. Nothing was done."));
        whole.Payload!.Attribute("status")!.Value.Should().Be("completed");
        ran.Should().Equal("find topic");
    }

    [Theory]
    [InlineData("Refused: no", true)]
    [InlineData("Usage: grow silos <N>", true)]
    [InlineData("No process 'x' here.", true)]
    [InlineData("This agent has no silo template", true)]
    [InlineData("2 of 2 silos active", false)]
    [InlineData("No roots match.", false)]
    [InlineData("flaky restarted: pid 3", false)]
    public void IsRefusal_ReadsTheChatRepliesWording(string text, bool refusal) => AdHocResponder.IsRefusal(text).Should().Be(refusal);
}
