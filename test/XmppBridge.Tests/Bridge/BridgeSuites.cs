namespace Actors.XmppBridge.Tests.Bridge;

// The bridge suite on both servers (issue 14): each base class runs once on Prosody and once on ejabberd, so the
// bridge is not shaped to one server. Server-specific tests (processes, outages, trust, limits) stay on Prosody.

[Collection(BridgeCluster.Name)]
public sealed class ProsodyBridgeWriteTests(ProsodyBridgeClusterFixture cluster) : BridgeWriteTests(cluster);

[Collection(EjabberdBridgeCluster.Name)]
public sealed class EjabberdBridgeWriteTests(EjabberdBridgeClusterFixture cluster) : BridgeWriteTests(cluster);

[Collection(BridgeCluster.Name)]
public sealed class ProsodyBridgeChatTests(ProsodyBridgeClusterFixture cluster) : BridgeChatTests(cluster);

[Collection(EjabberdBridgeCluster.Name)]
public sealed class EjabberdBridgeChatTests(EjabberdBridgeClusterFixture cluster) : BridgeChatTests(cluster);

[Collection(BridgeCluster.Name)]
public sealed class ProsodyBridgeIqTests(ProsodyBridgeClusterFixture cluster) : BridgeIqTests(cluster);

[Collection(EjabberdBridgeCluster.Name)]
public sealed class EjabberdBridgeIqTests(EjabberdBridgeClusterFixture cluster) : BridgeIqTests(cluster);

[Collection(BridgeCluster.Name)]
public sealed class ProsodyBridgePresenceTests(ProsodyBridgeClusterFixture cluster) : BridgePresenceTests(cluster);

[Collection(EjabberdBridgeCluster.Name)]
public sealed class EjabberdBridgePresenceTests(EjabberdBridgeClusterFixture cluster) : BridgePresenceTests(cluster);

[Collection(BridgeCluster.Name)]
public sealed class ProsodyBridgeQueryTests(ProsodyBridgeClusterFixture cluster) : BridgeQueryTests(cluster);

[Collection(EjabberdBridgeCluster.Name)]
public sealed class EjabberdBridgeQueryTests(EjabberdBridgeClusterFixture cluster) : BridgeQueryTests(cluster);

[Collection(BridgeCluster.Name)]
public sealed class ProsodyBridgeAdHocTests(ProsodyBridgeClusterFixture cluster) : BridgeAdHocTests(cluster);

[Collection(EjabberdBridgeCluster.Name)]
public sealed class EjabberdBridgeAdHocTests(EjabberdBridgeClusterFixture cluster) : BridgeAdHocTests(cluster);

[Collection(BridgeCluster.Name)]
public sealed class ProsodyAimedDrainTests(ProsodyBridgeClusterFixture cluster) : AimedDrainTests(cluster);

[Collection(EjabberdBridgeCluster.Name)]
public sealed class EjabberdAimedDrainTests(EjabberdBridgeClusterFixture cluster) : AimedDrainTests(cluster);
