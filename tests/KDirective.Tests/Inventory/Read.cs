using System.Text;
using KDirective.Inventory;

namespace KDirective.Tests.Inventory;

/// <summary>Runs the real reader over inline text written to a temporary file in a chosen encoding.</summary>
internal static class Read
{
    public static InventoryReport Text(string text, Encoding? encoding = null, bool matches = true) =>
        Bytes(encoding is null ? Encoding.UTF8.GetBytes(text) : [.. encoding.GetPreamble(), .. encoding.GetBytes(text)], matches);

    public static InventoryReport Bytes(byte[] bytes, bool matches = true)
    {
        var path = Paths.TempFile();
        File.WriteAllBytes(path, bytes);
        try
        {
            return new InventoryReader().ReadAsync(new FileInventorySource(path), matches).GetAwaiter().GetResult();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
