using System.Globalization;

namespace KDirective.Cli;

/// <summary>A synthetic per-host inventory in the project's own format: about 40 products per host, 1% Kaspersky.</summary>
internal static class BenchData
{
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

    public static void Write(string path, int rows)
    {
        var random = new Random(17);
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 16);
        writer.WriteLine("Hostname,Publisher,Product,Version");
        for (var i = 0; i < rows; i++)
        {
            var host = string.Create(CultureInfo.InvariantCulture, $"WS-{i / 40:D6}.agency.example.gov");
            var (publisher, product) = random.Next(100) == 0 ? Kaspersky[random.Next(Kaspersky.Length)] : Ordinary[random.Next(Ordinary.Length)];
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{host},\"{publisher}\",\"{product}\",{random.Next(1, 30)}.{random.Next(0, 9)}.{random.Next(0, 9999)}"));
        }
    }
}
