namespace KDirective.Tests.Infra;

/// <summary>The dashboard's and the digest's settings in the Bicep: sign-in, operators, the digest's recipient and timer.</summary>
public class DashboardSettingsTests
{
    private static string Setting(string key) =>
        Bicep.ModuleParameters("functionapp").GetProperty("settings").GetProperty("value").GetProperty(key).ToString();

    [Fact]
    public void TheDigest_GoesToTheOperatorEmailOnItsOwnSchedule()
    {
        Assert.Contains("parameters('operatorEmail')", Setting("Email:OperatorTo"), StringComparison.Ordinal);
        Assert.Contains("parameters('digestSchedule')", Setting("Digest:Schedule"), StringComparison.Ordinal);
        Assert.Equal("0 0 12 * * 1", Bicep.Template.GetProperty("parameters").GetProperty("digestSchedule").GetProperty("defaultValue").GetString());
        Assert.Contains("Digest__Schedule", ConfigurationContractTests.FunctionMetadataKeys());
    }

    [Fact]
    public void SignIn_IsTheDeploymentTenantsEntraIdWithTheDashboardsClientId()
    {
        Assert.Contains("tenant().tenantId", Setting("Dashboard:TenantId"), StringComparison.Ordinal);
        Assert.Contains("parameters('dashboardClientId')", Setting("Dashboard:ClientId"), StringComparison.Ordinal);
        Assert.Contains("environment().authentication.loginEndpoint", Setting("Dashboard:Instance"), StringComparison.Ordinal);
        Assert.False(Bicep.Template.GetProperty("parameters").GetProperty("dashboardClientId").TryGetProperty("defaultValue", out _), "the client id must be chosen");
    }

    [Fact]
    public void Operators_AreAnAppRoleOrAGroupChosenAtDeployment()
    {
        Assert.Contains("parameters('dashboardOperatorRole')", Setting("Dashboard:OperatorRole"), StringComparison.Ordinal);
        Assert.Contains("parameters('dashboardOperatorGroupId')", Setting("Dashboard:OperatorGroupId"), StringComparison.Ordinal);
        Assert.Equal("Dashboard.Operator", Bicep.Template.GetProperty("parameters").GetProperty("dashboardOperatorRole").GetProperty("defaultValue").GetString());
    }
}
