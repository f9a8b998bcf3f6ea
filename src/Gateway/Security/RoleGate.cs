namespace Actors.Gateway.Security;

/// <summary>
/// A role check for everything under a path prefix, for endpoints that are not route handlers and so do not run
/// <see cref="RoleFilter"/> (the Orleans Dashboard's files and API, the Prometheus exporter): the same rule (the role on
/// every type, <c>*</c>) and the same <c>401</c>/<c>403</c> problems.
/// </summary>
internal static class RoleGate
{
    /// <summary>Refuses requests under <paramref name="prefix"/> whose caller lacks <paramref name="role"/> on <c>*</c>.</summary>
    public static IApplicationBuilder RequireRole(this IApplicationBuilder app, PathString prefix, Role role) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase),
            branch => branch.Use(async (context, next) =>
            {
                if (await RoleFilter.RefuseAsync(context, role, RoleGrant.AnyType) is { } refused)
                {
                    await refused.ExecuteAsync(context);
                    return;
                }
                await next(context);
            }));
}
