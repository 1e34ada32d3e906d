using Delivery.Benchmarks;

// ./build.sh bench [--full] [--only raw,http,retry,memory,micro] [--out DIR]
return await BenchProgram.RunAsync(args);
