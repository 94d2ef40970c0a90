using KDirective.Agencies;

namespace KDirective.Ingestion;

/// <summary>
/// Where an upload sits: <c>{container}/{agency}/{name}</c>. The agency is the first folder; a blob at the
/// container's root, or under a folder that is not a valid agency id, names no agency.
/// </summary>
public sealed record BlobPath(string Container, string BlobName, string? Agency, string Name)
{
    public static BlobPath Parse(string container, string blobName)
    {
        var slash = blobName.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == blobName.Length - 1)
        {
            return new BlobPath(container, blobName, null, blobName.Trim('/'));
        }

        var folder = blobName[..slash];
        return new BlobPath(container, blobName, Agencies.Agency.IsValidId(folder) ? folder : null, blobName[(slash + 1)..]);
    }

    /// <summary>
    /// The uploader's result: <c>results/{agency}/{container}/{name}.json</c>, or under <c>_unassigned/</c>. The container
    /// is part of the name, so <c>inventories/doc/plans/p.md</c> and <c>plans/doc/p.md</c> never share a result.
    /// </summary>
    public string ResultBlobName(string submissionId) => Agency is null
        ? $"{SubmissionEntity.UnassignedPartition}/{submissionId}.json"
        : $"{Agency}/{Container}/{Name}.json";
}
