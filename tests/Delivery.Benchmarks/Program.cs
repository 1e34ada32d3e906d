using Delivery.Benchmarks;

// ./build.sh bench [--full] [--only raw,http,retry,memory,micro,failover] [--out DIR]; `./build.sh bench failover` = --only failover
return await BenchProgram.RunAsync(args);
