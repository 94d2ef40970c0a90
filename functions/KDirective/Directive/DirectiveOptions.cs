using System.ComponentModel.DataAnnotations;

namespace KDirective.Directive;

/// <summary>The directive being enforced. Defaults are BOD 17-01's; another vendor ban changes only configuration.</summary>
public sealed class DirectiveOptions
{
    public const string Section = "Directive";

    [Required]
    [StringLength(60, MinimumLength = 1)]
    public string Name { get; set; } = "BOD 17-01";

    [Required]
    [StringLength(80, MinimumLength = 1)]
    public string Vendor { get; set; } = "Kaspersky";

    public DateOnly IssuedOn { get; set; } = new(2017, 9, 13);

    /// <summary>An IANA (or Windows) time zone id; a due date ends at 23:59:59 there.</summary>
    [Required]
    public string TimeZone { get; set; } = "America/New_York";

    [Range(1, 3650)]
    public int InventoryDays { get; set; } = 30;

    [Range(1, 3650)]
    public int PlanDays { get; set; } = 60;

    [Range(1, 3650)]
    public int ImplementationDays { get; set; } = 90;

    [Range(1, 365)]
    public int StatusEveryDays { get; set; } = 30;

    /// <summary>
    /// An aggregated export (no hostnames) can close removal only when its fleet size (the largest device count of any
    /// application) is at least this share of the last full-coverage inventory's.
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinCoverage { get; set; } = 0.9;

    /// <summary>
    /// The banned products: a catalog file's path, or <c>blob:container/name</c> in the data account, in the embedded
    /// catalog's format (kind, pattern, canonical product, tab-separated). Empty: the embedded default catalog.
    /// </summary>
    [StringLength(1024)]
    public string? Catalog { get; set; }
}
