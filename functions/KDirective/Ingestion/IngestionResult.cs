using KDirective.Inventory;

namespace KDirective.Ingestion;

/// <summary>
/// What processing one upload produced. <see cref="AlreadyProcessed"/> when it had been processed before.
/// <see cref="Coverage"/> is set for an accepted inventory processed now (the submission keeps its kind and lacking hosts).
/// </summary>
public sealed record IngestionResult(SubmissionEntity Submission, InventoryReport? Report, bool AlreadyProcessed, string ResultBlobName, InventoryCoverage? Coverage = null);
