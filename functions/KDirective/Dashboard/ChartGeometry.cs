using System.Globalization;

namespace KDirective.Dashboard;

/// <summary>
/// A burn-down drawn as an SVG step line: values to coordinates inside a fixed viewBox, so the chart scales with
/// its container. Dates are spaced by time, not by index, so a quiet month looks like one.
/// </summary>
public sealed record ChartGeometry(string Path, IReadOnlyList<ChartTick> YTicks, IReadOnlyList<ChartTick> XTicks, IReadOnlyList<(double X, double Y)> Dots)
{
    public const double Width = 640, Height = 240, Left = 56, Right = 16, Top = 12, Bottom = 36;

    public static ChartGeometry For(IReadOnlyList<BurnDownPoint> points)
    {
        if (points.Count == 0)
        {
            return new ChartGeometry(string.Empty, [], [], []);
        }

        var max = Math.Max(1, points.Max(p => p.Endpoints));
        var first = points[0].Date.DayNumber;
        var span = Math.Max(1, points[^1].Date.DayNumber - first);
        double X(DateOnly d) => Left + ((Width - Left - Right) * (d.DayNumber - first) / span);
        double Y(long v) => Top + ((Height - Top - Bottom) * (1 - ((double)v / max)));

        var dots = points.Select(p => (X(p.Date), Y(p.Endpoints))).ToArray();
        var path = new System.Text.StringBuilder(FormattableString.Invariant($"M{dots[0].Item1:0.#},{dots[0].Item2:0.#}"));
        for (var i = 1; i < dots.Length; i++)
        {
            // A step: the count holds until the next inventory changes it.
            path.Append(CultureInfo.InvariantCulture, $" H{dots[i].Item1:0.#} V{dots[i].Item2:0.#}");
        }

        var yTicks = new[] { 0, max / 2, max }.Distinct().Select(v => new ChartTick(Y(v), v.ToString("N0", CultureInfo.InvariantCulture), "end")).ToArray();
        var xTicks = new[] { points[0].Date, points[^1].Date }.Distinct()
            .Select((d, i) => new ChartTick(X(d), d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), i == 0 ? "start" : "end")) // labels stay inside the box
            .ToArray();
        return new ChartGeometry(path.ToString(), yTicks, xTicks, dots);
    }
}

public sealed record ChartTick(double Position, string Label, string Anchor);
