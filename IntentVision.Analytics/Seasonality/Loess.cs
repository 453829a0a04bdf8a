namespace IntentVision.Analytics.Seasonality;

/// <summary>
/// Locally weighted regression on an equally spaced grid, ported from the STL reference implementation
/// (Cleveland et al. 1990, netlib stl.f): tricube neighbourhood weights, optional robustness weights,
/// degree 0 or 1, and a "jump" that evaluates every k-th point and interpolates linearly between them
/// to keep long series cheap.
/// </summary>
internal static class Loess
{
    /// <summary>Smooths <paramref name="y"/> into <paramref name="result"/> with window <paramref name="span"/>.</summary>
    public static void Smooth(ReadOnlySpan<double> y, int span, int degree, int jump, ReadOnlySpan<double> robustnessWeights, Span<double> result, Span<double> work)
    {
        var n = y.Length;
        if (n < 2)
        {
            y.CopyTo(result);
            return;
        }

        var step = Math.Min(jump, n - 1);
        var nleft = 1;
        var nright = n;
        if (span >= n)
        {
            for (var i = 1; i <= n; i += step)
            {
                result[i - 1] = Estimate(y, span, degree, i, nleft, nright, robustnessWeights, work, out var ok) is var v && ok ? v : y[i - 1];
            }
        }
        else if (step == 1)
        {
            var half = (span + 1) / 2;
            nright = span;
            for (var i = 1; i <= n; i++)
            {
                if (i > half && nright != n)
                {
                    nleft++;
                    nright++;
                }

                var v = Estimate(y, span, degree, i, nleft, nright, robustnessWeights, work, out var ok);
                result[i - 1] = ok ? v : y[i - 1];
            }
        }
        else
        {
            var half = (span + 1) / 2;
            for (var i = 1; i <= n; i += step)
            {
                if (i < half)
                {
                    nleft = 1;
                    nright = span;
                }
                else if (i >= n - half + 1)
                {
                    nleft = n - span + 1;
                    nright = n;
                }
                else
                {
                    nleft = i - half + 1;
                    nright = span + i - half;
                }

                var v = Estimate(y, span, degree, i, nleft, nright, robustnessWeights, work, out var ok);
                result[i - 1] = ok ? v : y[i - 1];
            }
        }

        if (step == 1)
        {
            return;
        }

        for (var i = 1; i <= n - step; i += step)
        {
            var delta = (result[i + step - 1] - result[i - 1]) / step;
            for (var j = i + 1; j < i + step; j++)
            {
                result[j - 1] = result[i - 1] + (delta * (j - i));
            }
        }

        var k = (((n - 1) / step) * step) + 1;
        if (k != n)
        {
            var v = Estimate(y, span, degree, n, nleft, nright, robustnessWeights, work, out var ok);
            result[n - 1] = ok ? v : y[n - 1];
            if (k != n - 1)
            {
                var delta = (result[n - 1] - result[k - 1]) / (n - k);
                for (var j = k + 1; j < n; j++)
                {
                    result[j - 1] = result[k - 1] + (delta * (j - k));
                }
            }
        }
    }

    /// <summary>
    /// Fitted value at 1-based position <paramref name="xs"/> (which may lie just outside 1..n, for the
    /// end-point extrapolation STL needs) from the neighbours nleft..nright.
    /// </summary>
    public static double Estimate(ReadOnlySpan<double> y, int span, int degree, double xs, int nleft, int nright, ReadOnlySpan<double> robustnessWeights, Span<double> w, out bool ok)
    {
        var n = y.Length;
        var range = n - 1.0;
        var h = Math.Max(xs - nleft, nright - xs);
        if (span > n)
        {
            h += (span - n) / 2;
        }

        var h9 = 0.999 * h;
        var h1 = 0.001 * h;
        var a = 0.0;
        var useRobust = !robustnessWeights.IsEmpty;
        for (var j = nleft; j <= nright; j++)
        {
            w[j - 1] = 0;
            var r = Math.Abs(j - xs);
            if (r <= h9)
            {
                if (r <= h1)
                {
                    w[j - 1] = 1;
                }
                else
                {
                    var q = r / h;
                    q = 1 - (q * q * q);
                    w[j - 1] = q * q * q;
                }

                if (useRobust)
                {
                    w[j - 1] *= robustnessWeights[j - 1];
                }

                a += w[j - 1];
            }
        }

        if (a <= 0)
        {
            ok = false;
            return 0;
        }

        ok = true;
        for (var j = nleft; j <= nright; j++)
        {
            w[j - 1] /= a;
        }

        if (h > 0 && degree > 0)
        {
            a = 0;
            for (var j = nleft; j <= nright; j++)
            {
                a += w[j - 1] * j;
            }

            var b = xs - a;
            var c = 0.0;
            for (var j = nleft; j <= nright; j++)
            {
                c += w[j - 1] * (j - a) * (j - a);
            }

            if (Math.Sqrt(c) > 0.001 * range)
            {
                b /= c;
                for (var j = nleft; j <= nright; j++)
                {
                    w[j - 1] *= (b * (j - a)) + 1;
                }
            }
        }

        var ys = 0.0;
        for (var j = nleft; j <= nright; j++)
        {
            ys += w[j - 1] * y[j - 1];
        }

        return ys;
    }
}
