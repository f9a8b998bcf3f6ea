namespace Actors.XmppBridge.Client.AdHoc;

/// <summary>
/// How a chat command is also offered as a XEP-0050 ad-hoc command: its title and its form. The command itself —
/// name (the command's node), role and handler — stays the chat table's <see cref="Roles.ChatCommand"/>: a submitted
/// form becomes the arguments of the same command line a person would type, and runs through the same code.
/// </summary>
/// <param name="Title">The label clients show in their command list, e.g. <c>Cluster status</c>.</param>
internal sealed record AdHocSpec(string Title)
{
    /// <summary>The form's fields, built when a session starts (list choices such as process names change at run time).</summary>
    public Func<IReadOnlyList<FormField>> Fields { get; init; } = static () => [];

    /// <summary>The chat arguments for the validated values, e.g. <c>silos 2</c> for <c>grow</c>.</summary>
    public Func<IReadOnlyDictionary<string, string>, string> Arguments { get; init; } = static _ => "";

    /// <summary>
    /// Checks the fields together once each is valid on its own (e.g. an index needs an operator and a value); returns
    /// what to fix, or null. The request is then refused as a bad payload and nothing runs.
    /// </summary>
    public Func<IReadOnlyDictionary<string, string>, string?> Check { get; init; } = static _ => null;

    /// <summary>The form's instructions; null for none.</summary>
    public string? Instructions { get; init; }
}
