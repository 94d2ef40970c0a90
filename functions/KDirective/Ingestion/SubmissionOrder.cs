namespace KDirective.Ingestion;

/// <summary>
/// The one order of an agency's submissions: received first; within the same second (the resolution blob times have)
/// the blob name; then the submission id, so that two versions of one blob uploaded within a second are ordered too.
/// The status, the inventory a diff compares with, the latest diff, the submission list and the milestone history all
/// use it, so they never disagree about which inventory is the latest, whatever order the uploads were processed in.
/// </summary>
public static class SubmissionOrder
{
    public static IComparer<SubmissionEntity> Comparer { get; } = Comparer<SubmissionEntity>.Create(Compare);

    public static int Compare(SubmissionEntity a, SubmissionEntity b) =>
        Compare(a.ReceivedAt, a.BlobName, a.SubmissionId, b.ReceivedAt, b.BlobName, b.SubmissionId);

    public static int Compare(DateTimeOffset aReceivedAt, string? aBlobName, string? aSubmissionId, DateTimeOffset bReceivedAt, string? bBlobName, string? bSubmissionId)
    {
        var order = aReceivedAt.CompareTo(bReceivedAt);
        if (order == 0)
        {
            order = string.CompareOrdinal(aBlobName, bBlobName);
        }

        return order != 0 ? order : string.CompareOrdinal(aSubmissionId, bSubmissionId);
    }
}
