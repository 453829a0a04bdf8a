using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(IntentVision.Analytics.Benchmarks.AnalyticsBenchmarks).Assembly).Run(args);
