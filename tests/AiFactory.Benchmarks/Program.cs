using AiFactory.Benchmarks;

return await BenchmarkSuite.RunAsync(args);
