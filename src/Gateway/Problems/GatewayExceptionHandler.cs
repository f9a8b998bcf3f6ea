using System.Text.Json;
using Actors.Contracts;
using Actors.Gateway.Cluster;
using Microsoft.AspNetCore.Diagnostics;

namespace Actors.Gateway.Problems;

/// <summary>
/// The last line: turns every exception that escapes an endpoint into a problem response. Bad input never becomes a
/// 5xx, cluster trouble becomes <c>503</c> with <c>Retry-After</c>, and no response ever carries a stack trace.
/// </summary>
internal sealed partial class GatewayExceptionHandler(ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is nobody to answer.
            return true;
        }
        var (type, detail) = Classify(httpContext, exception);
        if (type == ProblemTypes.InternalError)
        {
            LogUnhandled(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
        }
        else if (type == ProblemTypes.Unavailable)
        {
            LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name, exception.Message);
        }
        var result = ProblemResults.Create(httpContext, type, detail);
        await result.ExecuteAsync(httpContext);
        return true;
    }

    private static (ProblemType Type, string Detail) Classify(HttpContext context, Exception exception)
    {
        switch (exception)
        {
            case GatewayProblemException problem:
                return (problem.Type, problem.Message);
            case ActorsException actors:
                return ProblemResults.Describe(context, actors.Error);
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return (ProblemTypes.TooLarge, "The request body is larger than this gateway accepts; send a smaller body.");
            case BadHttpRequestException bad:
                // Kestrel's messages describe the malformed request (e.g. "Unexpected end of request content.") and hold no secrets.
                return (ProblemTypes.BadRequest, bad.Message);
            case JsonException json:
                return (ProblemTypes.InvalidJson, $"The body is not valid JSON: {json.Message}");
        }
        if (ClusterFailures.IsUnavailable(exception))
        {
            return (ProblemTypes.Unavailable, ClusterFailures.Describe(exception));
        }
        return (ProblemTypes.InternalError, "An unexpected error occurred in the gateway; it has been logged. Retrying with the same Idempotency-Key is safe.");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, PathString path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster unavailable for {Method} {Path}: {ExceptionType}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string method, PathString path, string exceptionType, string reason);
}
