namespace KDirective.Inventory;

/// <summary>What is known about a file before and while its rows are read.</summary>
internal sealed class FileState(string name)
{
    public string Name => name;

    public TextEncodingKind? Encoding { get; set; }

    public string? Delimiter { get; set; }

    public ColumnMap? Columns { get; set; }

    public InventoryReport Rejected(string reason) => new(
        name, Columns?.Format.Id, Encoding?.Label(), Delimiter, Accepted: false, Error: reason,
        RowsRead: 0, RowsRejected: 0, Rejections: [], EndpointsScanned: null, EndpointsAffected: null, Findings: [], Matches: []);
}
