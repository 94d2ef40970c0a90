using System.Runtime.InteropServices;
using System.Text;

namespace KDirective.Ingestion;

/// <summary>
/// Hosts with their banned products, gathered in any order and given back in <see cref="CoverageRule.ByHostname"/>
/// order (the first spelling of a name kept, case ignored) in bounded memory: the coverage check's two sides, the
/// hosts this inventory found and the hosts that carried the product after the previous one. Up to
/// <see cref="SpillAt"/> hosts stay in a table; past that each full table is sorted and written to a temporary file
/// as one run, and <see cref="Sorted"/> merges the runs. Hosts share one product list per combination, and a run
/// stores a host as its name and the combination's number, so a spilled host costs no memory at all.
/// </summary>
internal sealed partial class HostRuns : IDisposable
{
    /// <summary>
    /// 16,384 hosts: about 1.5 MiB of names and table. The benchmark's 1M-row files have 8,300 affected hosts and never
    /// spill; its 10M-row files have 83,000, which held 7-8 MiB and were most of the peak's growth with the file.
    /// </summary>
    public const int DefaultSpillAt = 16_384;

    private const int ReadBuffer = 16 * 1024;

    // Host (first spelling kept, case ignored) -> its products: one shared array per combination.
    private readonly Dictionary<string, string[]> _hosts;
    private readonly ProductCombinations _combinations = new();

    // Every combination a run refers to, by number.
    private readonly Dictionary<string[], int> _ids = new(ReferenceEqualityComparer.Instance);
    private readonly List<string[]> _byId = [];
    private readonly List<(long Offset, int Hosts)> _runs = [];
    private readonly string _directory;
    private FileStream? _spill;
    private HostFindings[]? _sorted;

    /// <param name="expected">Hosts expected (a size hint, capped at <paramref name="spillAt"/>), so the table does not grow.</param>
    /// <param name="spillAt">Hosts held in memory before a run is written.</param>
    /// <param name="directory">Where runs go: the system's temporary folder unless a test chooses one.</param>
    public HostRuns(int expected = 0, int spillAt = DefaultSpillAt, string? directory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spillAt, 1);
        (SpillAt, _directory) = (spillAt, directory ?? Path.GetTempPath());
        _hosts = new(Math.Clamp(expected, 0, spillAt), StringComparer.OrdinalIgnoreCase);
    }

    public int SpillAt { get; }

    /// <summary>Runs written to disk so far (tests and diagnostics).</summary>
    public int Runs => _runs.Count;

    /// <summary>Hosts added, counting a host again when it comes back after its run was written: an upper bound.</summary>
    public int Added { get; private set; }

    /// <summary>Records one more product of a host (a match); products are kept in ordinal order.</summary>
    public void Add(string hostname, string product)
    {
        ref var products = ref Entry(hostname, out var added);
        if (added)
        {
            products = _combinations.With([], product);
        }
        else if (Array.IndexOf(products!, product) < 0)
        {
            products = _combinations.With(products!, product);
        }

        SpillIfFull();
    }

    /// <summary>
    /// Records a host with its products, kept in the order given: a stored diff's carrying host. The caller shares one
    /// array per combination (<see cref="CarryingReader"/> does). A host met twice gets both lists' products.
    /// </summary>
    public void Add(string hostname, string[] products)
    {
        ref var stored = ref Entry(hostname, out var added);
        stored = added ? products : _combinations.Union(stored!, products);
        SpillIfFull();
    }

    /// <summary>
    /// The hosts in <see cref="CoverageRule.ByHostname"/> order, each once. Ends the adding; may be enumerated again.
    /// A host in several runs takes its first run's spelling and the products of all.
    /// </summary>
    /// <exception cref="IOException">A run could not be read back.</exception>
    public IEnumerable<HostFindings> Sorted()
    {
        if (_runs.Count == 0)
        {
            if (_sorted is null)
            {
                _sorted = new HostFindings[_hosts.Count];
                var i = 0;
                foreach (var (hostname, products) in _hosts)
                {
                    _sorted[i++] = new HostFindings(hostname, products);
                }

                Array.Sort(_sorted, CoverageRule.ByHostname);
                _hosts.Clear();
                _hosts.TrimExcess();
            }

            return _sorted;
        }

        if (_hosts.Count > 0)
        {
            Spill();
        }

        _sorted = []; // no more hosts: the runs are final
        return Merge();
    }

    public void Dispose()
    {
        _spill?.Dispose();
        _spill = null;
    }

    private ref string[]? Entry(string hostname, out bool added)
    {
        if (_sorted is not null)
        {
            throw new InvalidOperationException("the hosts were already given back in order; none can be added");
        }

        ref var products = ref CollectionsMarshal.GetValueRefOrAddDefault(_hosts, hostname, out var exists);
        added = !exists;
        if (added)
        {
            Added++;
        }

        return ref products;
    }

    private void SpillIfFull()
    {
        if (_hosts.Count >= SpillAt)
        {
            Spill();
        }
    }

    private void Spill()
    {
        var hosts = new KeyValuePair<string, string[]>[_hosts.Count];
        ((ICollection<KeyValuePair<string, string[]>>)_hosts).CopyTo(hosts, 0);
        Array.Sort(hosts, static (a, b) => CoverageRule.CompareHostnames(a.Key, b.Key));
        try
        {
            _spill ??= new FileStream(
                Path.Combine(_directory, $"kdirective-{Guid.NewGuid():N}.hosts"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, ReadBuffer, FileOptions.DeleteOnClose);
            var offset = _spill.Position;
            using (var writer = new BinaryWriter(_spill, Encoding.UTF8, leaveOpen: true)) // disposing it flushes the file
            {
                foreach (var (hostname, products) in hosts)
                {
                    writer.Write(hostname);
                    writer.Write7BitEncodedInt(IdOf(products));
                }
            }

            _runs.Add((offset, hosts.Length));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not the inventory's fault, so not a rejection: ingestion stops, says where and why, and a retry redoes it.
            throw new IOException(
                $"comparing more than {SpillAt} affected hosts needs the temporary folder {_directory}, which cannot take them ({e.Message}); " +
                "set TMPDIR to a writable folder with a few MB free", e);
        }

        _hosts.Clear();
    }

    private int IdOf(string[] products)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, products, out var exists);
        if (!exists)
        {
            id = _byId.Count;
            _byId.Add(products);
        }

        return id;
    }

    /// <summary>A k-way merge of the runs on a heap ordered by name, case ignored, then run: a host's first spelling comes first.</summary>
    private IEnumerable<HostFindings> Merge()
    {
        var runs = _runs.Select(r => new Run(_spill!, r.Offset, r.Hosts, _byId)).ToArray();
        var heap = new PriorityQueue<int, (string Hostname, int Run)>(runs.Length, RunOrder.Instance);
        for (var i = 0; i < runs.Length; i++)
        {
            Advance(i);
        }

        while (heap.TryDequeue(out var first, out _))
        {
            var host = runs[first].Current;
            var products = (string[])host.Products;
            Advance(first);
            while (heap.TryPeek(out var same, out var next) && string.Equals(next.Hostname, host.Hostname, StringComparison.OrdinalIgnoreCase))
            {
                heap.Dequeue();
                products = _combinations.Union(products, (string[])runs[same].Current.Products);
                Advance(same);
            }

            yield return new HostFindings(host.Hostname, products);
        }

        void Advance(int run)
        {
            if (runs[run].MoveNext())
            {
                heap.Enqueue(run, (runs[run].Current.Hostname, run));
            }
        }
    }

    private sealed class RunOrder : IComparer<(string Hostname, int Run)>
    {
        public static readonly RunOrder Instance = new();

        public int Compare((string Hostname, int Run) x, (string Hostname, int Run) y)
        {
            var order = string.Compare(x.Hostname, y.Hostname, StringComparison.OrdinalIgnoreCase);
            return order != 0 ? order : x.Run.CompareTo(y.Run);
        }
    }
}
