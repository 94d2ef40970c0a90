using System.Globalization;

namespace KDirective.Cli.Bench;

/// <summary>
/// Synthetic per-host inventories, about 40 products per host and 1% Kaspersky rows, in three export shapes. Rows are
/// written as they are made, so a 10M-row file costs no more memory than a 10-row one.
/// </summary>
internal static class BenchData
{
    /// <summary>The shapes <c>kdirective bench --shape</c> knows, in the order it measures them.</summary>
    public static IReadOnlyList<string> Shapes { get; } = ["narrow", "wide", "mecm"];

    private static readonly (string Publisher, string Product)[] Ordinary =
    [
        ("Microsoft Corporation", "Microsoft Edge"), ("Microsoft Corporation", "Microsoft 365 Apps for enterprise - en-us"),
        ("Google LLC", "Google Chrome"), ("Mozilla", "Mozilla Firefox (x64 en-US)"), ("Adobe Inc.", "Adobe Acrobat Reader DC"),
        ("Oracle Corporation", "Java 8 Update 401"), ("The Git Development Community", "Git"), ("Zoom Video Communications, Inc.", "Zoom"),
        ("Cisco Systems, Inc.", "Cisco Secure Client - AnyConnect VPN"), ("Jamf", "Casper Admin"), ("7-Zip", "7-Zip 23.01 (x64)"),
        ("Notepad++ Team", "Notepad++ (64-bit x64)"), ("Python Software Foundation", "Python 3.12.1 (64-bit)"), ("VMware, Inc.", "VMware Tools"),
    ];

    private static readonly (string Publisher, string Product)[] Kaspersky =
    [
        ("AO Kaspersky Lab", "Kaspersky Endpoint Security for Windows"), ("AO Kaspersky Lab", "Kaspersky Security Center 14.2 Network Agent"),
        ("Kaspersky Lab", "Kaspersky Anti-Virus 2018"),
    ];

    /// <summary>Writes <paramref name="rows"/> data rows of <paramref name="shape"/> to <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="shape">One of <see cref="Shapes"/>.</param>
    /// <param name="rows">Data rows, after the header.</param>
    /// <param name="matching">A Kaspersky product on every row (<c>bench --matches</c>), instead of on 1% of them.</param>
    public static void Write(string path, string shape, long rows, bool matching = false)
    {
        var random = new Random(17);
        var temporary = path + ".partial";
        using (var writer = new StreamWriter(temporary, append: false, new System.Text.UTF8Encoding(false), 1 << 16))
        {
            var row = Row(shape);
            writer.WriteLine(Header(shape));
            for (long i = 0; i < rows; i++)
            {
                var (publisher, product) = matching || random.Next(100) == 0 ? Kaspersky[random.Next(Kaspersky.Length)] : Ordinary[random.Next(Ordinary.Length)];
                var version = string.Create(CultureInfo.InvariantCulture, $"{random.Next(1, 30)}.{random.Next(0, 9)}.{random.Next(0, 9999)}");
                writer.WriteLine(row(i / 40, publisher, product, version));
            }
        }

        File.Move(temporary, path, overwrite: true); // an interrupted run leaves no truncated file to be reused
    }

    private static string Header(string shape) => shape switch
    {
        "narrow" or "wide" => "Hostname,Publisher,Product,Version",
        "mecm" => "ResourceID,GroupID,RevisionID,AgentID,TimeStamp,ProdID0,DisplayName0,InstallDate0,Publisher0,Version0,"
                  + "Netbios_Name0,Resource_Domain_OR_Workgroup0,Operating_System_Name_and0,Client_Version0,AD_Site_Name0,"
                  + "User_Name0,SMS_Unique_Identifier0,Active0,Client0,Obsolete0",
        _ => throw new UsageException($"unknown shape '{shape}' (one of: {string.Join(", ", Shapes)})"),
    };

    private static Func<long, string, string, string, string> Row(string shape) => shape switch
    {
        // The 4-column export agencies make by hand: short host names, nothing quoted that need not be.
        "narrow" => (host, publisher, product, version) => string.Create(CultureInfo.InvariantCulture,
            $"WS{host:D6},{Quoted(publisher)},{Quoted(product)},{version}"),

        // What `kdirective bench` generated before shapes existed: fully qualified names, every text quoted.
        "wide" => (host, publisher, product, version) => string.Create(CultureInfo.InvariantCulture,
            $"WS-{host:D6}.agency.example.gov,\"{publisher}\",\"{product}\",{version}"),

        // Configuration Manager's Add/Remove Programs joined with its system view: 20 columns, 4 of them used.
        "mecm" => (host, publisher, product, version) => string.Create(CultureInfo.InvariantCulture,
            $"{16777220 + host},1,{host % 7 + 1},1,2017-09-14 03:12:44,{{{host:X8}-0000-0000-0000-000000000000}},{Quoted(product)},20170512,"
            + $"{Quoted(publisher)},{version},WS{host:D6},AGENCY,Microsoft Windows NT Workstation 10.0,5.00.9096.1000,HQ-Site,"
            + $"AGENCY\\user{host % 500},GUID:{host:X8}-1D2E-4F3A-8B9C-0D1E2F3A4B5C,1,1,0"),
        _ => throw new UsageException($"unknown shape '{shape}' (one of: {string.Join(", ", Shapes)})"),
    };

    private static string Quoted(string value) => value.Contains(',', StringComparison.Ordinal) ? $"\"{value}\"" : value;
}
