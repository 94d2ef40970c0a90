namespace KDirective.Inventory;

/// <summary>The formats we accept, most specific first: the first whose required columns are all present wins.</summary>
public static class InventoryFormats
{
    public static IReadOnlyList<InventoryFormat> All { get; } =
    [
        new("kdirective", "Hostname, Publisher, Product, Version; optional Endpoints, DetectionMethod",
            Host: ["hostname"], Publisher: ["publisher"], Name: ["product"], Version: ["version"],
            Count: ["endpoints"], CountRequired: false),
        new("defender", "DeviceName, SoftwareVendor, SoftwareName, SoftwareVersion",
            Host: ["devicename"], Publisher: ["softwarevendor"], Name: ["softwarename"], Version: ["softwareversion"],
            Count: [], CountRequired: false),
        new("ksc", "wstrDisplayName, wstrDisplayVersion, wstrPublisher, nHostCount",
            Host: [], Publisher: ["wstrpublisher"], Name: ["wstrdisplayname"], Version: ["wstrdisplayversion"],
            Count: ["nhostcount"], CountRequired: true),
        new("intune", "displayName, version, publisher, deviceCount; optional platform",
            Host: [], Publisher: ["publisher"], Name: ["displayname"], Version: ["version"],
            Count: ["devicecount"], CountRequired: true),
        // Intune admin center, Apps > Monitor > Discovered apps > Export (Graph reportName AppInvRawData / AppInvAggregate).
        new("intune-appinv-raw", "ApplicationName, ApplicationPublisher, ApplicationVersion, DeviceName (Intune AppInvRawData)",
            Host: ["devicename"], Publisher: ["applicationpublisher"], Name: ["applicationname"], Version: ["applicationversion", "applicationshortversion"],
            Count: [], CountRequired: false),
        new("intune-appinv", "ApplicationName, ApplicationPublisher, ApplicationVersion, DeviceCount (Intune AppInvAggregate)",
            Host: [], Publisher: ["applicationpublisher"], Name: ["applicationname"], Version: ["applicationversion", "applicationshortversion"],
            Count: ["devicecount"], CountRequired: true),
        new("lansweeper", "AssetName, softwareName, softwareVersion, SoftwarePublisher",
            Host: ["assetname"], Publisher: ["softwarepublisher"], Name: ["softwarename"], Version: ["softwareversion"],
            Count: [], CountRequired: false),
        new("powershell", "ComputerName or PSComputerName, DisplayName, DisplayVersion, Publisher",
            Host: ["computername", "pscomputername"], Publisher: ["publisher"], Name: ["displayname"], Version: ["displayversion"],
            Count: [], CountRequired: false),
        new("mecm", "Netbios_Name0 or Name0; DisplayName0, ARPDisplayName0 or ProductName0; Publisher0; Version0 or ProductVersion0",
            Host: ["netbiosname", "name"], Publisher: ["publisher"], Name: ["displayname", "arpdisplayname", "productname"],
            Version: ["version", "productversion"], Count: [], CountRequired: false),
        new("osquery", "name, version, publisher, and hostname, host_hostname or computer_name",
            Host: ["hostname", "hosthostname", "computername"], Publisher: ["publisher"], Name: ["name"], Version: ["version"],
            Count: [], CountRequired: false),
        new("tanium", "Count, Name, Version (aggregated) or Computer Name, Name, Version (per machine); optional Publisher, Vendor, Manufacturer or Company",
            Host: [], Publisher: [], Name: ["name"], Version: ["version"],
            Count: ["count"], CountRequired: true),
        new("tanium", "Count, Name, Version (aggregated) or Computer Name, Name, Version (per machine); optional Publisher, Vendor, Manufacturer or Company",
            Host: ["computername"], Publisher: [], Name: ["name"], Version: ["version"],
            Count: [], CountRequired: false),
    ];

    /// <summary>
    /// Header names compare case-insensitively, ignoring spaces, underscores and the trailing 0 that
    /// Configuration Manager appends (<c>Netbios_Name0</c> is <c>netbiosname</c>).
    /// </summary>
    public static string NormalizeHeader(string header)
    {
        var chars = header.Trim().Where(c => c is not (' ' or '_' or '\u00A0') && !char.IsControl(c))
            .Select(char.ToLowerInvariant).ToArray();
        var text = new string(chars);
        return text.Length > 1 && text.EndsWith('0') ? text[..^1] : text;
    }

    /// <summary>The first format whose required columns the header has, with the column index of each role.</summary>
    public static ColumnMap? Recognize(IReadOnlyList<string> headers)
    {
        var normalized = headers.Select(NormalizeHeader).ToArray();
        foreach (var format in All)
        {
            if (ColumnMap.TryCreate(format, normalized) is { } map)
            {
                return map;
            }
        }

        return null;
    }

    public static string AcceptedHeadersText =>
        string.Join("; ", All.DistinctBy(f => f.Id).Select(f => f.Display));
}
