using Actors.Contracts;
using Actors.Gateway.Http;
using Microsoft.AspNetCore.Http;

namespace Actors.Gateway.Tests;

/// <summary>The one list of write bodies: which method and media type make which write, and what 415s and Accept-Patch say.</summary>
public sealed class MediaTypesUnitTests
{
    [Theory]
    [InlineData("PUT", "application/json", WriteOp.Put)]
    [InlineData("PUT", "Application/JSON; charset=UTF-8", WriteOp.Put)]
    [InlineData("PATCH", "application/merge-patch+json", WriteOp.Merge)]
    [InlineData("PATCH", "application/json-patch+json; charset=utf-8", WriteOp.Patch)]
    [InlineData("patch", "application/json-patch+json", WriteOp.Patch)]
    public void Op_ListedBody_IsItsWrite(string method, string contentType, WriteOp op)
    {
        MediaTypes.Op(method, contentType).Should().Be(op);
    }

    [Theory]
    [InlineData("PUT", "application/merge-patch+json")]
    [InlineData("PATCH", "application/json")]
    [InlineData("PATCH", "application/merge-patch+json; charset=utf-16")]
    [InlineData("PUT", null)]
    [InlineData("DELETE", "application/json")]
    public void Op_UnlistedBody_IsNull(string method, string? contentType)
    {
        MediaTypes.Op(method, contentType).Should().BeNull();
    }

    [Fact]
    public void WriteFormats_EveryWriteWithABody_HasExactlyOneFormat()
    {
        foreach (var op in Enum.GetValues<WriteOp>().Where(op => op != WriteOp.Delete))
        {
            MediaTypes.WriteFormats.Should().ContainSingle(format => format.Op == op, $"{op} needs one body format in {nameof(MediaTypes)}.{nameof(MediaTypes.WriteFormats)}");
        }
        MediaTypes.WriteFormats.Should().NotContain(format => format.Op == WriteOp.Delete);
        MediaTypes.WriteFormats.Select(format => (format.Method, format.MediaType)).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void AcceptPatch_ListsBothPatchTypes()
    {
        MediaTypes.AcceptPatch.Should().Be("application/merge-patch+json, application/json-patch+json");
    }

    [Fact]
    public void UnsupportedDetail_Patch_NamesWhatWasSentAndBothTypes()
    {
        var request = new DefaultHttpContext().Request;
        request.Method = "PATCH";
        request.ContentType = "text/plain";

        MediaTypes.UnsupportedDetail(request).Should().Be(
            "The request has Content-Type 'text/plain'; PATCH takes application/merge-patch+json (RFC 7386 merge patch) or application/json-patch+json (RFC 6902 JSON Patch) (charset, if given, must be utf-8).");
    }
}
