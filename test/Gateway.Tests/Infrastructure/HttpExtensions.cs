using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Actors.Gateway.Tests.Infrastructure;

/// <summary>Small helpers to send the gateway's requests and read its answers.</summary>
internal static class HttpExtensions
{
    public const string Json = "application/json";
    public const string MergePatch = "application/merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";
    public const string ProblemBase = "https://actors.dev/problems/";

    public static HttpRequestMessage Request(HttpMethod method, string url, string? body = null, string? contentType = Json,
        string? ifMatch = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string url, string? body = null,
        string? contentType = Json, string? ifMatch = null, string? idempotencyKey = null)
        => client.SendAsync(Request(method, url, body, contentType, ifMatch, idempotencyKey), TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> FetchAsync(this HttpClient client, string url)
        => client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem of <paramref name="status"/> and type <paramref name="type"/>; returns its body.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, int status, string type)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        ((int)response.StatusCode).Should().Be(status, "the body was {0}", text);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        problem.GetProperty("type").GetString().Should().Be(ProblemBase + type);
        problem.GetProperty("status").GetInt32().Should().Be(status);
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        problem.GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
        text.Should().NotContain("   at ", "a problem never carries a stack trace");
        return problem;
    }

    public static string? ETag(this HttpResponseMessage response) => response.Headers.ETag?.ToString();
}
