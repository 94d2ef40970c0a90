namespace KDirective.Ingestion;

/// <summary>
/// Where one ingestion's time went, stage by stage, for <c>kdirective bench --ingest</c>. The Functions app registers
/// none, so the service runs without it; one instance measures one ingestion at a time.
/// </summary>
public sealed class IngestionTimings(TimeProvider time)
{
    private readonly List<IngestionLap> _laps = [];
    private long _lapStart;

    public IReadOnlyList<IngestionLap> Laps => _laps;

    public void Start()
    {
        _laps.Clear();
        _lapStart = time.GetTimestamp();
    }

    /// <summary>Records the time since the previous lap (or <see cref="Start"/>) under <paramref name="stage"/>.</summary>
    public void Lap(string stage)
    {
        var now = time.GetTimestamp();
        _laps.Add(new IngestionLap(stage, time.GetElapsedTime(_lapStart, now), IsPartOfPrevious: false));
        _lapStart = now;
    }

    /// <summary>Records time spent inside the lap just recorded (say, waiting on storage while the file was read).</summary>
    public void Within(string stage, TimeSpan elapsed) => _laps.Add(new IngestionLap(stage, elapsed, IsPartOfPrevious: true));
}

/// <param name="IsPartOfPrevious">Already counted in the lap that follows it; shown as a part, not added to the total.</param>
public sealed record IngestionLap(string Stage, TimeSpan Elapsed, bool IsPartOfPrevious);
