namespace IntentVision.Analytics.Numerics;

/// <summary>
/// A small, allocation-light Nelder–Mead minimiser. Written here rather than taken from MathNet because model
/// fitting must never throw on non-convergence: the best point found within the budget is a perfectly usable fit.
/// Parameters are searched in an unconstrained space; callers map them into their bounds (logistic transforms).
/// </summary>
internal static class NelderMead
{
    public static double[] Minimise(Func<double[], double> objective, double[] start, double step, int maxEvaluations, double tolerance = 1e-8)
    {
        var n = start.Length;
        var simplex = new double[n + 1][];
        var values = new double[n + 1];
        for (var i = 0; i <= n; i++)
        {
            simplex[i] = (double[])start.Clone();
            if (i > 0)
            {
                simplex[i][i - 1] += step;
            }

            values[i] = Safe(objective(simplex[i]));
        }

        var evaluations = n + 1;
        var centroid = new double[n];
        var trial = new double[n];
        var trial2 = new double[n];
        while (evaluations < maxEvaluations)
        {
            // Order the vertices best first (insertion sort: n is tiny).
            for (var i = 1; i <= n; i++)
            {
                var v = values[i];
                var p = simplex[i];
                var j = i - 1;
                while (j >= 0 && values[j] > v)
                {
                    values[j + 1] = values[j];
                    simplex[j + 1] = simplex[j];
                    j--;
                }

                values[j + 1] = v;
                simplex[j + 1] = p;
            }

            if (Math.Abs(values[n] - values[0]) <= tolerance * (Math.Abs(values[0]) + 1e-12))
            {
                break;
            }

            Array.Clear(centroid);
            for (var i = 0; i < n; i++)
            {
                for (var d = 0; d < n; d++)
                {
                    centroid[d] += simplex[i][d] / n;
                }
            }

            var worst = simplex[n];
            for (var d = 0; d < n; d++)
            {
                trial[d] = centroid[d] + (centroid[d] - worst[d]);
            }

            var fr = Safe(objective(trial));
            evaluations++;
            if (fr < values[0])
            {
                for (var d = 0; d < n; d++)
                {
                    trial2[d] = centroid[d] + (2 * (centroid[d] - worst[d]));
                }

                var fe = Safe(objective(trial2));
                evaluations++;
                if (fe < fr)
                {
                    Accept(simplex, values, n, trial2, fe);
                }
                else
                {
                    Accept(simplex, values, n, trial, fr);
                }
            }
            else if (fr < values[n - 1])
            {
                Accept(simplex, values, n, trial, fr);
            }
            else
            {
                var outside = fr < values[n];
                for (var d = 0; d < n; d++)
                {
                    trial2[d] = outside
                        ? centroid[d] + (0.5 * (trial[d] - centroid[d]))
                        : centroid[d] + (0.5 * (worst[d] - centroid[d]));
                }

                var fc = Safe(objective(trial2));
                evaluations++;
                if (fc < Math.Min(fr, values[n]))
                {
                    Accept(simplex, values, n, trial2, fc);
                }
                else
                {
                    // Shrink towards the best vertex.
                    for (var i = 1; i <= n; i++)
                    {
                        for (var d = 0; d < n; d++)
                        {
                            simplex[i][d] = simplex[0][d] + (0.5 * (simplex[i][d] - simplex[0][d]));
                        }

                        values[i] = Safe(objective(simplex[i]));
                        evaluations++;
                    }
                }
            }
        }

        var best = 0;
        for (var i = 1; i <= n; i++)
        {
            if (values[i] < values[best])
            {
                best = i;
            }
        }

        return simplex[best];
    }

    public static double Logistic(double x) => 1.0 / (1.0 + Math.Exp(-x));

    public static double Logit(double p)
    {
        p = Math.Clamp(p, 1e-6, 1 - 1e-6);
        return Math.Log(p / (1 - p));
    }

    private static void Accept(double[][] simplex, double[] values, int n, double[] point, double value)
    {
        Array.Copy(point, simplex[n], point.Length);
        values[n] = value;
    }

    private static double Safe(double v) => double.IsFinite(v) ? v : double.MaxValue;
}
