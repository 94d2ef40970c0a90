namespace KDirective.Tests.Boot;

/// <summary>
/// Values Azure would put where the compiled settings hold expressions: the accounts' endpoints, the identity's
/// client id, the App Insights strings, the sender and operator addresses and the dashboard's Entra ids (required parameters or deployment functions), and the SendGrid key as App
/// Service would pass it on: resolved, empty (outbox-only chosen), or the reference text left unresolved.
/// </summary>
internal static class AzureStandIns
{
    public const string ClientId = "0a1b2c3d-0000-4000-8000-00000000b007";
    public const string DataBlobUri = "https://stdata.blob.core.windows.net/";
    public const string DataTableUri = "https://stdata.table.core.windows.net/";
    public const string UnresolvedReference = "@Microsoft.KeyVault(SecretUri=https://kv-boot.vault.azure.net/secrets/SendGridApiKey)";

    public static Dictionary<string, string> With(string sendGridApiKey, bool sendGridRequired) => new(StringComparer.Ordinal)
    {
        ["AzureWebJobsStorage__clientId"] = ClientId,
        ["AzureWebJobsStorage__blobServiceUri"] = "https://sthost.blob.core.windows.net/",
        ["AzureWebJobsStorage__queueServiceUri"] = "https://sthost.queue.core.windows.net/",
        ["AzureWebJobsStorage__tableServiceUri"] = "https://sthost.table.core.windows.net/",
        ["InventoryStorage__clientId"] = ClientId,
        ["InventoryStorage__blobServiceUri"] = DataBlobUri,
        ["InventoryStorage__queueServiceUri"] = "https://stdata.queue.core.windows.net/",
        ["InventoryStorage__tableServiceUri"] = DataTableUri,
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=boot;IngestionEndpoint=https://example.invalid/",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = $"ClientId={ClientId};Authorization=AAD",
        ["Email__From"] = "bod-notifications@example.gov",
        ["Email__OperatorTo"] = "operators@example.gov",
        ["Digest__DashboardUrl"] = "https://func-boot.azurewebsites.net/",
        ["Dashboard__TenantId"] = "72f988bf-0000-4000-8000-00000000b007",
        ["Dashboard__ClientId"] = "0a1b2c3d-0000-4000-8000-00000000da5b",
        ["Dashboard__Instance"] = "https://login.microsoftonline.com/",
        ["SendGrid__ApiKey"] = sendGridApiKey,
        ["SendGrid__Required"] = sendGridRequired ? "True" : "False",
    };
}
