using System.Text.Json;

namespace KDirective.Tests.Infra;

/// <summary>Agencies get a data-only custom role, confined by ABAC conditions to their own folders; read as Azure will.</summary>
public class AgencyIsolationTests
{
    private const string Blobs = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";

    private static JsonElement Role() => Assert.Single(Bicep.ModuleResources("agency-access", "Microsoft.Authorization/roleDefinitions"));

    private static JsonElement[] Assignments() => Bicep.ModuleResources("agency-access", "Microsoft.Authorization/roleAssignments").ToArray();

    private static string Condition(string purpose, string agency)
    {
        var module = Bicep.ModuleTemplate("agency-access");
        var assignment = Assignments().Single(r => r.GetProperty("name").GetString()!.EndsWith($"'{purpose}')]", StringComparison.Ordinal));
        using var uploader = JsonDocument.Parse(JsonSerializer.Serialize(new { agency }));
        return new ArmExpression(module.GetProperty("variables"), uploader.RootElement).Evaluate(assignment.GetProperty("properties").GetProperty("condition").GetString()!);
    }

    [Fact]
    public void TheAgencyRole_HasNoControlPlaneActions_AndOnlyReadWriteAndAddOnBlobs()
    {
        var role = Role();
        Assert.Equal("[guid(resourceGroup().id, 'kdirective-agency-uploader')]", role.GetProperty("name").GetString());
        var properties = role.GetProperty("properties");
        Assert.Equal("CustomRole", properties.GetProperty("type").GetString());
        var permissions = Assert.Single(properties.GetProperty("permissions").EnumerateArray());

        Assert.Empty(permissions.GetProperty("actions").EnumerateArray());
        using var none = JsonDocument.Parse("{}");
        var arm = new ArmExpression(Bicep.ModuleTemplate("agency-access").GetProperty("variables"), none.RootElement);
        Assert.Equal([$"{Blobs}/read", $"{Blobs}/write", $"{Blobs}/add/action"], permissions.GetProperty("dataActions").EnumerateArray().Select(a => arm.Evaluate(a.GetString()!)));
        Assert.DoesNotContain(permissions.GetRawText(), "delete", StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["[resourceGroup().id]"], properties.GetProperty("assignableScopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public void EveryAgencyAssignment_UsesTheCustomRole_OnTheAgencyAccountOnly()
    {
        var roleId = Bicep.ModuleTemplate("agency-access").GetProperty("variables").GetProperty("agencyRoleId").GetString();
        Assert.Equal("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', guid(resourceGroup().id, 'kdirective-agency-uploader'))]", roleId);

        var assignments = Assignments();
        Assert.Equal(2, assignments.Length);
        Assert.All(assignments, a =>
        {
            Assert.Equal("[variables('agencyRoleId')]", a.GetProperty("properties").GetProperty("roleDefinitionId").GetString());
            Assert.Equal("2.0", a.GetProperty("properties").GetProperty("conditionVersion").GetString());
            Assert.StartsWith("[guid(", a.GetProperty("name").GetString());
        });
        Assert.DoesNotContain("agencyUploaders", Bicep.ModuleTemplate("app-roles").GetRawText());
        Assert.DoesNotContain("agencyUploaders", Bicep.ModuleTemplate("host-storage").GetRawText());
    }

    [Fact]
    public void AgencyUploaders_AreConfinedToTheirOwnFoldersByAbacConditions()
    {
        const string path = $"@Resource[{Blobs}:path]";
        const string prefix = $"@Request[{Blobs}:prefix]";
        const string container = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]";

        var upload = Condition("uploads", "doc");
        var uploadContainers = $"({container} StringEquals 'inventories' OR {container} StringEquals 'plans')";
        Assert.Contains($"{uploadContainers} AND {path} StringStartsWith 'doc/'", upload);
        Assert.Contains($"{uploadContainers} AND {prefix} StringStartsWith 'doc/'", upload);
        Assert.Contains($"!(ActionMatches{{'{Blobs}/write'}})", upload);
        Assert.EndsWith($"AND (!(ActionMatches{{'{Blobs}/delete'}}))", upload);
        Assert.DoesNotContain("results", upload);

        var results = Condition("results", "doc");
        Assert.Contains($"{container} StringEquals 'results' AND {path} StringStartsWith 'doc/'", results);
        Assert.Contains($"{container} StringEquals 'results' AND {prefix} StringStartsWith 'doc/'", results);
        Assert.EndsWith($"AND (!(ActionMatches{{'{Blobs}/write'}}) AND !(ActionMatches{{'{Blobs}/add/action'}}) AND !(ActionMatches{{'{Blobs}/delete'}}))", results);

        Assert.Contains("StringStartsWith 'treas/'", Condition("uploads", "treas"));
        Assert.DoesNotContain("'doc/'", Condition("uploads", "treas"));
    }
}
