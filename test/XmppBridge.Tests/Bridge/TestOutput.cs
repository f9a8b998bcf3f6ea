namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>Writes real replies to the test output, so docs can quote them from a test run.</summary>
internal static class TestOutput
{
    public static void Record(string name, string text) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"--- {name} ---\n{text}");
}
