namespace Actors.Gateway.Xmpp;

/// <summary>Counts the gateway's HTTP requests, so its presence can say how busy it is (<c>rps</c>).</summary>
internal static class GatewayRequestRate
{
    private static long s_requests;

    /// <summary>Requests seen since the process started.</summary>
    public static long Total => Interlocked.Read(ref s_requests);

    /// <summary>The middleware: one increment per request, nothing else.</summary>
    public static Task CountAsync(HttpContext context, RequestDelegate next)
    {
        Interlocked.Increment(ref s_requests);
        return next(context);
    }
}
