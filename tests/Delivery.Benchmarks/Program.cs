using Delivery.Benchmarks;

// ./build.sh bench [--full] [--only raw,http,retry,memory,micro,failover] [--out DIR]
return await BenchProgram.RunAsync(args);
