using System.ComponentModel.DataAnnotations;

namespace KDirective.Dashboard.Access;

/// <summary>
/// Entra ID sign-in for the dashboard in Azure (section <c>Dashboard</c>). The app validates tokens itself: built-in
/// App Service authentication is not supported on Flex Consumption (Microsoft's Flex Consumption considerations).
/// </summary>
public sealed class DashboardAuthOptions
{
    public const string Section = "Dashboard";

    /// <summary>The Entra tenant (directory) id that issues the tokens.</summary>
    [Required]
    public string TenantId { get; set; } = string.Empty;

    /// <summary>The dashboard's app registration (client) id: the audience of its tokens.</summary>
    [Required]
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The app role whose holders are operators and see every agency.</summary>
    [Required]
    public string OperatorRole { get; set; } = "Dashboard.Operator";

    /// <summary>Optional: a security group whose members are operators too (token <c>groups</c> claim).</summary>
    public string? OperatorGroupId { get; set; }

    /// <summary>The Entra authority host; sovereign clouds differ.</summary>
    [Required]
    [Url]
    public string Instance { get; set; } = "https://login.microsoftonline.com";

    internal string Authority => $"{Instance.TrimEnd('/')}/{TenantId}/v2.0";
}
