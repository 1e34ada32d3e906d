using System.Globalization;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>Command-line settings of one harness run. Quick mode is the default; <c>--full</c> runs 1,000,000 events.</summary>
internal sealed record BenchSettings
{
    public bool Full { get; init; }

    public string Mode => Full ? "full" : "quick";

    /// <summary>Scenarios to run (raw, http, retry, timeliness, ordering, memory, micro, failover); empty: all.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public string OutputDirectory { get; init; } = string.Empty;

    public string RepositoryRoot { get; init; } = string.Empty;

    /// <summary>Records pre-produced for raw vs worker and http and memory (the same topic).</summary>
    public int Events => Full ? 1_000_000 : 200_000;

    /// <summary>
    /// Records of the raw vs worker comparison (its own topic): enough that a bare consume round lasts ≥ 2 s on this
    /// machine, so start-up and the final commit do not weigh on the figure.
    /// </summary>
    public int RawEvents => Full ? 10_000_000 : 5_000_000;

    /// <summary>Events of each retry run.</summary>
    public int RetryEvents => Full ? 100_000 : 10_000;

    /// <summary>Back-to-back rounds of each throughput comparison.</summary>
    public int Rounds { get; } = 3;

    /// <summary>
    /// Rounds of raw vs worker: the bare consume loop's own speed varies up to 2× from round to round on the mock
    /// broker (468k–926k events/s in one run) while the worker's stays within ~15 %, so its median needs more rounds.
    /// </summary>
    public int RawRounds { get; } = 5;

    /// <summary>Scenario names accepted by <c>--only</c> and as bare arguments.</summary>
    public static readonly IReadOnlyList<string> Scenarios = ["micro", "raw", "http", "retry", "timeliness", "ordering", "memory", "failover", "pause"];

    public bool Runs(string scenario) => Only.Count == 0 || Only.Contains(scenario);

    public static BenchSettings Parse(IReadOnlyList<string> args)
    {
        var root = FindRepositoryRoot();
        var settings = new BenchSettings { RepositoryRoot = root, OutputDirectory = Path.Combine(root, "docs", "benchmarks") };
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--full":
                    settings = settings with { Full = true };
                    break;
                case "--quick":
                    settings = settings with { Full = false };
                    break;
                case "--only" when i + 1 < args.Count:
                    settings = settings with { Only = new HashSet<string>(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase) };
                    break;
                case "--out" when i + 1 < args.Count:
                    settings = settings with { OutputDirectory = Path.GetFullPath(args[++i]) };
                    break;
                case var name when Scenarios.Contains(name):
                    // `./build.sh bench failover` = `--only failover`
                    settings = settings with { Only = new HashSet<string>(settings.Only.Append(name), StringComparer.OrdinalIgnoreCase) };
                    break;
                default:
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"unknown argument '{args[i]}' (expected --full, --only LIST, --out DIR or a scenario: {string.Join(", ", Scenarios)})"));
            }
        }

        return settings;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Delivery.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
