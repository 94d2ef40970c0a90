using System.Security.Claims;
using KDirective.Agencies;

namespace KDirective.Dashboard.Access;

/// <summary>
/// Decides what a validated Entra principal may see: the operator role or group sees every agency; an agency's
/// uploader group (the registry's <c>UploaderGroupId</c>) sees that agency; anyone else sees nothing (403).
/// </summary>
public sealed class ViewerResolver(AgencyRegistry registry, Microsoft.Extensions.Options.IOptions<DashboardAuthOptions> options)
{
    public async Task<DashboardViewer> ResolveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var name = principal.FindFirst("preferred_username")?.Value ?? principal.FindFirst("name")?.Value ?? principal.FindFirst("oid")?.Value ?? "signed-in user";
        var roles = principal.FindAll("roles").Concat(principal.FindAll(ClaimTypes.Role)).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var groups = principal.FindAll("groups").Select(c => c.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (roles.Contains(o.OperatorRole) || (o.OperatorGroupId is { Length: > 0 } g && groups.Contains(g)))
        {
            return new DashboardViewer(name, true, new HashSet<string>());
        }

        var agencies = (await registry.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(a => a.UploaderGroupId is { Length: > 0 } id && groups.Contains(id))
            .Select(a => a.Id)
            .ToHashSet(StringComparer.Ordinal);
        return new DashboardViewer(name, false, agencies);
    }
}
