namespace Actors.XmppBridge.Client.Roles;

/// <summary>The answer to a chat command, and what to do once it has been sent.</summary>
/// <param name="Text">The reply's body.</param>
/// <param name="AfterSent">Work that must wait until the reply is out, e.g. draining the silo; null for none.</param>
internal sealed record ChatReply(string Text, Func<Task>? AfterSent = null)
{
    public static implicit operator ChatReply(string text) => new(text);
}
