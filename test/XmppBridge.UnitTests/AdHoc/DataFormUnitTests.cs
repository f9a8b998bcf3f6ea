using System.Xml.Linq;
using Actors.XmppBridge.Client.AdHoc;

namespace Actors.XmppBridge.UnitTests.AdHoc;

/// <summary>XEP-0004 forms as the ad-hoc commands send and check them: what a client such as slixmpp submits, and every bad value.</summary>
public sealed class DataFormUnitTests
{
    private static readonly XNamespace X = "jabber:x:data";

    private static readonly FormField[] Resize =
    [
        new("kind", "What", FormFieldType.ListSingle) { Options = ["silos", "gateways"], Default = "silos" },
        new("count", "How many", FormFieldType.TextSingle) { Range = (1, 16) },
    ];

    private static XElement Submit(string type = "submit", params (string Var, string[] Values)[] fields) =>
        new(X + "x", new XAttribute("type", type),
            fields.Select(f => new XElement(X + "field", new XAttribute("var", f.Var), f.Values.Select(v => new XElement(X + "value", v)))));

    [Fact]
    public void ToFormElement_WritesTypesOptionsDefaultsAndRequired()
    {
        var form = DataForm.ToFormElement("Grow", "Start more.", Resize);

        form.Attribute("type")!.Value.Should().Be("form");
        form.Element(X + "title")!.Value.Should().Be("Grow");
        form.Element(X + "instructions")!.Value.Should().Be("Start more.");
        var kind = form.Elements(X + "field").Single(f => (string?)f.Attribute("var") == "kind");
        kind.Attribute("type")!.Value.Should().Be("list-single");
        kind.Element(X + "value")!.Value.Should().Be("silos");
        kind.Elements(X + "option").Select(o => o.Element(X + "value")!.Value).Should().Equal("silos", "gateways");
        kind.Element(X + "required").Should().NotBeNull();
        form.Elements(X + "field").Single(f => (string?)f.Attribute("var") == "count").Attribute("type")!.Value.Should().Be("text-single");
    }

    [Fact]
    public void Validate_SlixmppStyleSubmitWithoutFieldTypes_GivesTrimmedValues()
    {
        // slixmpp drops field types from a submitted form (xep_0004 Form.set_type): only var and value are sent.
        var ok = DataForm.Validate(Submit("submit", ("kind", ["gateways"]), ("count", [" 2 "]), ("extra", ["ignored"])), Resize, out var values, out var error);

        ok.Should().BeTrue(error);
        values.Should().BeEquivalentTo(new Dictionary<string, string> { ["kind"] = "gateways", ["count"] = "2" });
    }

    [Fact]
    public void Validate_TypeCancel_CountsAsSubmit()
    {
        // XEP-0050 §4.5: a responder treats <x type='cancel'/> as submit.
        DataForm.Validate(Submit("cancel", ("kind", ["silos"]), ("count", ["1"])), Resize, out _, out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("redis", "1", "'redis' is not a choice for 'kind' (What): one of silos, gateways.")]
    [InlineData("silos", "many", "'many' for 'count' (How many) is not a whole number from 1 to 16.")]
    [InlineData("silos", "0", "'0' for 'count' (How many) is not a whole number from 1 to 16.")]
    [InlineData("silos", "17", "'17' for 'count' (How many) is not a whole number from 1 to 16.")]
    [InlineData("silos", "-1", "'-1' for 'count' (How many) is not a whole number from 1 to 16.")]
    [InlineData("silos", "1 2", "'1 2' for 'count' (How many) has spaces in it: a whole number from 1 to 16, one word.")]
    [InlineData("", "1", "Field 'kind' (What) is required: one of silos, gateways.")]
    public void Validate_BadValue_NamesTheFieldWhatWasSentAndWhatItTakes(string kind, string count, string expected)
    {
        var ok = DataForm.Validate(Submit("submit", ("kind", [kind]), ("count", [count])), Resize, out var values, out var error);

        ok.Should().BeFalse();
        values.Should().BeNull();
        error.Should().Be(expected);
    }

    [Fact]
    public void Validate_MissingForm_ListsWhatIsNeeded()
    {
        DataForm.Validate(null, Resize, out _, out var error).Should().BeFalse();
        error.Should().Be("This command needs its form: 'kind' (What): one of silos, gateways; 'count' (How many): a whole number from 1 to 16.");
    }

    [Fact]
    public void Validate_FormNotSubmitted_IsRefused()
    {
        DataForm.Validate(Submit("form", ("kind", ["silos"]), ("count", ["1"])), Resize, out _, out var error).Should().BeFalse();
        error.Should().Be("The form must be sent back with type='submit', not type='form'.");
    }

    [Fact]
    public void Validate_TwoValuesOrAFieldTwice_IsRefused()
    {
        DataForm.Validate(Submit("submit", ("kind", ["silos", "gateways"]), ("count", ["1"])), Resize, out _, out var twoValues).Should().BeFalse();
        twoValues.Should().StartWith("Field 'kind' (What) takes one value, not 2");
        DataForm.Validate(Submit("submit", ("kind", ["silos"]), ("kind", ["silos"]), ("count", ["1"])), Resize, out _, out var twice).Should().BeFalse();
        twice.Should().Be("Field 'kind' (What) was sent 2 times; send it once.");
    }

    [Fact]
    public void Validate_OverlongValue_IsRefused()
    {
        FormField[] fields = [new("root", "Root", FormFieldType.TextSingle) { MaxLength = 10 }];
        DataForm.Validate(Submit("submit", ("root", [new string('a', 11)])), fields, out _, out var error).Should().BeFalse();
        error.Should().StartWith("Field 'root' (Root) is 11 characters long, more than 10");
    }

    [Fact]
    public void Validate_OptionalFieldLeftOut_IsAbsentFromValues()
    {
        FormField[] fields = [new("note", "Note", FormFieldType.TextSingle) { Required = false }];
        DataForm.Validate(Submit("submit"), fields, out var values, out _).Should().BeTrue();
        values.Should().BeEmpty();
    }
}
