namespace KDirective.Inventory;

/// <summary>
/// An export layout we recognize from its header. Each role lists the header names that can fill it, in order of
/// preference; a role with no names is not part of the format.
/// </summary>
public sealed record InventoryFormat(
    string Id,
    string Description,
    string[] Host,
    string[] Publisher,
    string[] Name,
    string[] Version,
    string[] Count,
    bool CountRequired)
{
    /// <summary>Aggregated formats report an endpoint count per row instead of one row per host.</summary>
    public bool IsAggregated => CountRequired;

    /// <summary>The headers a person should see when the format is listed as accepted.</summary>
    public string Display => $"{Id} ({Description})";
}
