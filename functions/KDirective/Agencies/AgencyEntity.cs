using Azure;
using Azure.Data.Tables;

namespace KDirective.Agencies;

/// <summary>An agency row: one partition for the registry, keyed by the agency id.</summary>
internal sealed class AgencyEntity : ITableEntity
{
    public const string Partition = "agency";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Name { get; set; } = string.Empty;

    public string ContactEmails { get; set; } = string.Empty;

    public string EscalationEmails { get; set; } = string.Empty;

    public string? UploaderGroupId { get; set; }

    public static AgencyEntity From(Agency agency) => new()
    {
        RowKey = agency.Id,
        Name = agency.Name,
        ContactEmails = string.Join(';', agency.ContactEmails),
        EscalationEmails = string.Join(';', agency.EscalationEmails),
        UploaderGroupId = agency.UploaderGroupId,
    };

    public Agency ToAgency() => new(RowKey, Name, Split(ContactEmails), Split(EscalationEmails), UploaderGroupId);

    private static string[] Split(string value) => value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
