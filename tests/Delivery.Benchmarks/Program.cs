// Benchmark harness placeholder: the performance issue gives `./build.sh bench` its content.
Console.WriteLine("bench: not implemented yet (see the performance issue)");
return 0;
