using Azure;
using KDirective.Agencies;
using KDirective.Directive;
using KDirective.Ingestion;
using KDirective.Storage;

namespace KDirective.Dashboard;

/// <summary>
/// The dashboard's queries, already restricted to what the viewer may see: the HTTP trigger and
/// <c>kdirective serve</c> only map routes to these methods.
/// </summary>
public sealed class DashboardService(StatusReport report, AgencyPageBuilder agencyPages, FindingStore findings, StorageConnection storage, DirectiveCalendar calendar)
{
    public async Task<StatusSnapshot> SnapshotAsync(DashboardViewer viewer, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        var all = await report.LoadAsync(asOf, cancellationToken).ConfigureAwait(false);
        return viewer.IsOperator ? all : all with { Agencies = all.Agencies.Where(a => viewer.CanSee(a.Agency.Id)).ToArray() };
    }

    public async Task<OverviewPage> OverviewAsync(DashboardViewer viewer, OverviewQuery query, DateTimeOffset asOf, CancellationToken cancellationToken = default) =>
        OverviewBuilder.Build(await SnapshotAsync(viewer, asOf, cancellationToken).ConfigureAwait(false), query, calendar, viewer.IsOperator);

    public async Task<IReadOnlyList<StatusRow>> StatusAsync(DashboardViewer viewer, DateTimeOffset asOf, CancellationToken cancellationToken = default) =>
        (await SnapshotAsync(viewer, asOf, cancellationToken).ConfigureAwait(false)).Agencies.Select(a => a.Row).ToArray();

    /// <summary>Null when the agency is unknown; callers check <see cref="DashboardViewer.CanSee"/> first.</summary>
    public async Task<AgencySnapshot?> AgencyAsync(string id, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        if (!Agency.IsValidId(id))
        {
            return null;
        }

        var all = await report.LoadAsync(asOf, cancellationToken).ConfigureAwait(false);
        return all.Agencies.FirstOrDefault(a => a.Agency.Id == id);
    }

    public Task<AgencyPage> AgencyPageAsync(AgencySnapshot agency, DateTimeOffset asOf, int page, CancellationToken cancellationToken = default) =>
        agencyPages.BuildAsync(agency, asOf, page, cancellationToken);

    public async Task<AgencyDocument> AgencyDocumentAsync(AgencySnapshot agency, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        var page = await agencyPages.BuildAsync(agency, asOf, 1, cancellationToken).ConfigureAwait(false);
        return new AgencyDocument(agency.Row, page.Submissions, page.BurnDown, page.Diff);
    }

    /// <summary>The latest accepted inventory's per-endpoint findings.</summary>
    public async Task<IReadOnlyList<FindingEntity>> FindingsAsync(AgencySnapshot agency, CancellationToken cancellationToken = default) =>
        agency.Inventories.LastOrDefault() is { } latest
            ? await findings.ListAsync(agency.Agency.Id, latest.SubmissionId, cancellationToken).ConfigureAwait(false)
            : [];

    /// <summary>A submission's result document (the JSON the uploader also gets), or null.</summary>
    public async Task<BinaryData?> ResultAsync(AgencySnapshot agency, string submissionId, CancellationToken cancellationToken = default)
    {
        var submission = agency.Submissions.FirstOrDefault(s => s.SubmissionId == submissionId);
        if (submission is null)
        {
            return null;
        }

        var name = BlobPath.Parse(submission.Container, submission.BlobName).ResultBlobName(submission.SubmissionId);
        try
        {
            var blob = storage.Blobs.GetBlobContainerClient(StorageNames.ResultsContainer).GetBlobClient(name);
            return (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
