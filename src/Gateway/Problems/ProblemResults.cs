using System.Globalization;
using Actors.Contracts;
using Actors.Gateway.Diagnostics;
using Actors.Gateway.Http;
using Actors.Gateway.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Actors.Gateway.Problems;

/// <summary>Builds RFC 9457 problem responses, with the headers that belong to some of them.</summary>
internal static partial class ProblemResults
{
    /// <summary>The problem member that carries the root's current version on a <c>412</c>.</summary>
    public const string CurrentVersionMember = "currentVersion";

    /// <summary>The problem member that carries an index build's progress (0..1) on a <c>409 index-building</c>.</summary>
    public const string ProgressMember = "progress";

    /// <summary>
    /// A problem of <paramref name="type"/>. Sets <c>Retry-After</c> for <see cref="ProblemTypes.Unavailable"/> and
    /// <c>Accept-Patch</c> for an unsupported PATCH body, because RFC 9110 and RFC 5789 ask for them.
    /// </summary>
    public static ProblemHttpResult Create(HttpContext context, ProblemType type, string detail, long? currentVersion = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(type);
        var problem = new ProblemDetails
        {
            Type = type.Uri,
            Title = type.Title,
            Status = type.Status,
            Detail = detail,
        };
        if (currentVersion is { } version)
        {
            problem.Extensions[CurrentVersionMember] = version;
            context.Response.Headers.ETag = EntityTags.Format(version);
        }
        if (type == ProblemTypes.Unavailable)
        {
            var options = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
            context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
        if (type == ProblemTypes.UnsupportedMediaType && HttpMethods.IsPatch(context.Request.Method))
        {
            context.Response.Headers["Accept-Patch"] = MediaTypes.AcceptPatch;
        }
        GatewayInstruments.Problems.Add(1, new KeyValuePair<string, object?>("type", type.Name));
        return TypedResults.Problem(problem);
    }

    /// <summary>The problem for an error reported by the store; the detail is the store's message, which says what to fix.</summary>
    public static ProblemHttpResult FromError(HttpContext context, ActorsError error)
    {
        var (type, detail) = Describe(context, error);
        var currentVersion = error.Kind == ActorsErrorKind.VersionConflict ? error.CurrentVersion : null;
        var result = Create(context, type, detail, currentVersion);
        if (error.Kind == ActorsErrorKind.IndexBuilding)
        {
            result.ProblemDetails.Extensions[ProgressMember] = error.Progress ?? 0;
        }
        return result;
    }

    /// <summary>
    /// The problem type and detail for an error reported by the store. A kind this gateway does not know (silos newer
    /// than the gateway) becomes <see cref="ProblemTypes.InternalError"/> and is logged as an error: the gateway, not
    /// the caller, needs fixing, and the log names the kind so the version skew is easy to see.
    /// </summary>
    public static (ProblemType Type, string Detail) Describe(HttpContext context, ActorsError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        if (ProblemTypes.Find(error.Kind) is not { } type)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProblemResults).FullName!);
            LogUnknownErrorKind(logger, (int)error.Kind, error.Message);
            return (ProblemTypes.InternalError, $"The cluster reported an error of a kind this gateway does not know ({(int)error.Kind}; the silos are newer than the gateway), so the gateway cannot classify it; it has been logged. The cluster said: {error.Message}");
        }
        var detail = error.Kind switch
        {
            // The store names its write id; the caller only knows the header it sent.
            ActorsErrorKind.WriteIdReused => "This Idempotency-Key was already used on this root for a different request (method, body or If-Match); use a new key for a new write.",
            _ => error.Message,
        };
        return (type, detail);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The store reported error kind {Kind}, unknown to this gateway (are the silos newer?); answered 500 internal-error. Its message: {StoreMessage}")]
    private static partial void LogUnknownErrorKind(ILogger logger, int kind, string storeMessage);
}
