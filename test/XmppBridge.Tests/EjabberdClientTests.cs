using Actors.TestInfrastructure.Xmpp;

namespace Actors.XmppBridge.Tests;

/// <summary>The shared client scenarios against a real ejabberd with STARTTLS and SCRAM.</summary>
public sealed class EjabberdClientTests(EjabberdFixture ejabberd)
    : XmppServerClientTests<EjabberdFixture, EjabberdServer>(ejabberd), IClassFixture<EjabberdFixture>;
