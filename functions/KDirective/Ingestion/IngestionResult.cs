using KDirective.Inventory;

namespace KDirective.Ingestion;

/// <summary>What processing one upload produced. <see cref="AlreadyProcessed"/> when it had been processed before.</summary>
public sealed record IngestionResult(SubmissionEntity Submission, InventoryReport? Report, bool AlreadyProcessed, string ResultBlobName);
