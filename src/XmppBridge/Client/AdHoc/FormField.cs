namespace Actors.XmppBridge.Client.AdHoc;

/// <summary>
/// One field of an ad-hoc command's XEP-0004 form, with what a submitted value must be. The same description builds
/// the form sent (<see cref="DataForm.ToFormElement"/>) and checks the form received (<see cref="DataForm.Validate"/>),
/// so the choices offered and the choices accepted cannot drift apart.
/// </summary>
/// <param name="Var">The field's <c>var</c>.</param>
/// <param name="Label">What a client shows beside it.</param>
/// <param name="Type">Its XEP-0004 type.</param>
internal sealed record FormField(string Var, string Label, FormFieldType Type)
{
    /// <summary>The choices of a <see cref="FormFieldType.ListSingle"/> field; a submitted value must be one of them.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>The value the form shows at first; null for none.</summary>
    public string? Default { get; init; }

    /// <summary>True when a value must be submitted (XEP-0004 <c>&lt;required/&gt;</c>).</summary>
    public bool Required { get; init; } = true;

    /// <summary>When set, the value must be a whole number in this range (inclusive).</summary>
    public (int Min, int Max)? Range { get; init; }

    /// <summary>
    /// True (the default) when the value becomes one word of a chat command line: it may not contain white space, so
    /// it cannot smuggle a second argument into the command.
    /// </summary>
    public bool OneWord { get; init; } = true;

    /// <summary>Longest value accepted, in characters.</summary>
    public int MaxLength { get; init; } = 256;

    /// <summary>A short hint (XEP-0004 <c>&lt;desc/&gt;</c>), also used in error texts; null for none.</summary>
    public string? Description { get; init; }

    /// <summary>What a valid value is, for error texts: "a whole number from 1 to 16", "one of silos, gateways".</summary>
    public string Expected =>
        Range is { } range ? $"a whole number from {range.Min} to {range.Max}"
        : Type == FormFieldType.ListSingle ? (Options.Count == 0 ? "one of the choices (there are none now)" : "one of " + string.Join(", ", Options))
        : Description ?? (OneWord ? "one word" : "a value");
}
