using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Xml.Linq;
using Actors.XmppBridge.Client.Xml;

namespace Actors.XmppBridge.Client.AdHoc;

/// <summary>
/// XEP-0004 data forms as the ad-hoc commands use them: the <c>type="form"</c> element sent to the requester, and the
/// check of the <c>type="submit"</c> element it sends back against the same <see cref="FormField"/> list.
/// </summary>
/// <remarks>
/// XEP-0004 §3.2: a submitted form carries each field's <c>var</c> and its <c>&lt;value/&gt;</c>s; the field's type may
/// be left out (slixmpp drops it), so only <c>var</c> is read. XEP-0050 §4.5: a requester SHOULD NOT submit a type other
/// than <c>submit</c>, and a responder treats <c>cancel</c> as <c>submit</c>. Unknown fields are ignored.
/// </remarks>
internal static class DataForm
{
    /// <summary>The XEP-0004 namespace.</summary>
    public static readonly XNamespace Ns = XmppNamespaces.DataForms;

    /// <summary>The form to fill in.</summary>
    public static XElement ToFormElement(string title, string? instructions, IReadOnlyList<FormField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var x = new XElement(Ns + "x", new XAttribute("type", "form"), new XElement(Ns + "title", title));
        if (instructions is not null)
        {
            x.Add(new XElement(Ns + "instructions", instructions));
        }

        foreach (var field in fields)
        {
            var element = new XElement(Ns + "field",
                new XAttribute("var", field.Var),
                new XAttribute("type", field.Type == FormFieldType.ListSingle ? "list-single" : "text-single"),
                new XAttribute("label", field.Label));
            if (field.Description is not null)
            {
                element.Add(new XElement(Ns + "desc", field.Description));
            }

            if (field.Required)
            {
                element.Add(new XElement(Ns + "required"));
            }

            if (field.Default is not null)
            {
                element.Add(new XElement(Ns + "value", field.Default));
            }

            foreach (var option in field.Options)
            {
                element.Add(new XElement(Ns + "option", new XAttribute("label", option), new XElement(Ns + "value", option)));
            }

            x.Add(element);
        }

        return x;
    }

    /// <summary>The first XEP-0004 form among <paramref name="parent"/>'s children, or null.</summary>
    public static XElement? Find(XElement parent) => parent.Element(Ns + "x");

    /// <summary>
    /// Checks a submitted form against <paramref name="fields"/>: every required field present with one value, list
    /// values among the options, numbers in range, one-word values without white space. On success
    /// <paramref name="values"/> holds one trimmed value per field that has one; on failure
    /// <paramref name="error"/> says which field is wrong, what was sent and what is expected.
    /// </summary>
    public static bool Validate(XElement? submitted, IReadOnlyList<FormField> fields,
        [NotNullWhen(true)] out IReadOnlyDictionary<string, string>? values, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(fields);
        values = null;
        if (submitted is null)
        {
            error = "This command needs its form: " + string.Join("; ", fields.Where(f => f.Required).Select(f => $"'{f.Var}' ({f.Label}): {f.Expected}")) + ".";
            return false;
        }

        var type = (string?)submitted.Attribute("type");
        if (type is not ("submit" or "cancel"))
        {
            error = $"The form must be sent back with type='submit', not type='{Shorten(type ?? "")}'.";
            return false;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var sent = submitted.Elements(Ns + "field").Where(f => (string?)f.Attribute("var") == field.Var).ToList();
            if (sent.Count > 1)
            {
                error = $"Field '{field.Var}' ({field.Label}) was sent {sent.Count} times; send it once.";
                return false;
            }

            var given = sent.Count == 0 ? [] : sent[0].Elements(Ns + "value").Select(v => v.Value.Trim()).Where(v => v.Length > 0).ToList();
            if (given.Count == 0)
            {
                if (field.Required)
                {
                    error = $"Field '{field.Var}' ({field.Label}) is required: {field.Expected}.";
                    return false;
                }

                continue;
            }

            if (given.Count > 1)
            {
                error = $"Field '{field.Var}' ({field.Label}) takes one value, not {given.Count}: {field.Expected}.";
                return false;
            }

            var value = given[0];
            if (FieldError(field, value) is { } problem)
            {
                error = problem;
                return false;
            }

            result[field.Var] = value;
        }

        (values, error) = (result, null);
        return true;
    }

    private static string? FieldError(FormField field, string value)
    {
        if (value.Length > field.MaxLength)
        {
            return $"Field '{field.Var}' ({field.Label}) is {value.Length} characters long, more than {field.MaxLength}: {field.Expected}.";
        }

        if (field.OneWord && value.AsSpan().IndexOfAny(" \t\r\n") >= 0)
        {
            return $"'{Shorten(value)}' for '{field.Var}' ({field.Label}) has spaces in it: {field.Expected}, one word.";
        }

        if (field.Type == FormFieldType.ListSingle && !field.Options.Contains(value, StringComparer.Ordinal))
        {
            return $"'{Shorten(value)}' is not a choice for '{field.Var}' ({field.Label}): {field.Expected}.";
        }

        if (field.Range is { } range
            && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < range.Min || number > range.Max))
        {
            return $"'{Shorten(value)}' for '{field.Var}' ({field.Label}) is not {field.Expected}.";
        }

        return null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
