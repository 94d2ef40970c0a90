using System.ComponentModel.DataAnnotations;

namespace KDirective.Digest;

/// <summary>The weekly operator digest. The timer's schedule is read by the Functions host as <c>%Digest:Schedule%</c>.</summary>
public sealed class DigestOptions
{
    public const string Section = "Digest";

    /// <summary>NCRONTAB (six fields, UTC): Mondays 12:00 UTC, 07:00 or 08:00 in Washington.</summary>
    [Required]
    public string Schedule { get; set; } = "0 0 12 * * 1";

    /// <summary>The dashboard's address, linked from the digest.</summary>
    [Required]
    [Url]
    public string DashboardUrl { get; set; } = "http://127.0.0.1:5117/";
}
