namespace KDirective.Storage;

/// <summary>Containers and tables. The Bicep creates the containers; the app creates what is missing at start-up.</summary>
public static class StorageNames
{
    public const string InventoriesContainer = "inventories";
    public const string PlansContainer = "plans";
    public const string ResultsContainer = "results";

    public const string AgenciesTable = "Agencies";
    public const string SubmissionsTable = "Submissions";
    public const string FindingsTable = "Findings";
    public const string StatusTable = "AgencyStatus";
    public const string RemindersTable = "Reminders";
    public const string HostDiffsTable = "HostDiffs";

    public static IReadOnlyList<string> Containers { get; } = [InventoriesContainer, PlansContainer, ResultsContainer];

    public static IReadOnlyList<string> Tables { get; } = [AgenciesTable, SubmissionsTable, FindingsTable, StatusTable, RemindersTable, HostDiffsTable];
}
