using System.Collections.Frozen;
using System.Globalization;
using Delivery.Core.MultiStatus;
using Delivery.Core.Options.Validation;
using Microsoft.Extensions.Options;

namespace Delivery.Core.Options;

/// <summary>
/// Validates the whole <c>Delivery</c> section. Every failure is one line that starts with the full configuration
/// key, e.g. <c>Delivery:Destinations:orders:Batch:MaxEvents: must be between 1 and 100000 (was 0)</c>.
/// Range checks come from the data annotations on the options classes (through source-generated validators);
/// the rules that involve more than one key are written here. Values of Kafka client keys are never echoed.
/// </summary>
public sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    /// <summary>Shortest allowed <see cref="DeliveryOptions.ShutdownTimeout"/>.</summary>
    public static readonly TimeSpan MinShutdownTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Longest allowed <see cref="DeliveryOptions.ShutdownTimeout"/>.</summary>
    public static readonly TimeSpan MaxShutdownTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Longest allowed retry delay.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromDays(30);

    /// <summary>Most distinct retry delays (each one is a retry topic).</summary>
    public const int MaxRetryTiers = 20;

    /// <summary>
    /// librdkafka properties the worker sets in code because the delivery guarantees depend on them (aliases
    /// included). They are rejected under <c>Delivery:Kafka:Client</c>.
    /// </summary>
    public static readonly IReadOnlySet<string> ReservedClientKeys = new[]
    {
        "enable.auto.commit",
        "enable.auto.offset.store",
        "isolation.level",
        "enable.idempotence",
        "acks",
        "request.required.acks",
        "group.id",
        "bootstrap.servers",
        "metadata.broker.list",
        "enable.partition.eof",
        "max.in.flight.requests.per.connection",
        "max.in.flight",
        "transactional.id",
        "group.protocol",
        "partition.assignment.strategy",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// librdkafka properties of the classic group protocol that it refuses with <c>group.protocol=consumer</c>
    /// (KIP-848 takes session timeout and heartbeat from the broker). Allowed under <c>Delivery:Kafka:Client</c> only
    /// with <c>Delivery:Kafka:GroupProtocol</c> <see cref="KafkaGroupProtocol.Classic"/>.
    /// </summary>
    public static readonly IReadOnlyList<string> ClassicOnlyClientKeys =
    [
        "session.timeout.ms",
        "heartbeat.interval.ms",
        "group.protocol.type",
    ];

    private const string Root = DeliveryOptions.SectionName;

    private static readonly HttpServerOptionsAnnotations HttpServerAnnotations = new();
    private static readonly BatchOptionsAnnotations BatchAnnotations = new();
    private static readonly RetryOptionsAnnotations RetryAnnotations = new();
    private static readonly DeadLetterOptionsAnnotations DeadLetterAnnotations = new();
    private static readonly DestinationHttpOptionsAnnotations DestinationHttpAnnotations = new();
    private static readonly RateLimitOptionsAnnotations RateLimitAnnotations = new();
    private static readonly ConcurrencyOptionsAnnotations ConcurrencyAnnotations = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem of <paramref name="options"/>, one line each, each starting with the full configuration key.</summary>
    public static IReadOnlyList<string> Check(DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        KafkaOptionsRules.Check(options.Kafka, failures);

        if (options.Http is null)
        {
            failures.Add($"{Root}:Http: is required");
        }
        else
        {
            Annotations(HttpServerAnnotations, options.Http, $"{Root}:Http", failures);
        }

        if (options.ShutdownTimeout < MinShutdownTimeout || options.ShutdownTimeout > MaxShutdownTimeout)
        {
            failures.Add($"{Root}:ShutdownTimeout: must be between {Format(MinShutdownTimeout)} and {Format(MaxShutdownTimeout)} (was {Format(options.ShutdownTimeout)})");
        }

        if (options.Destinations is not { Count: > 0 } destinations)
        {
            failures.Add($"{Root}:Destinations: at least one destination is required");
            return failures;
        }

        var ordered = destinations.OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
        foreach (var (name, destination) in ordered)
        {
            CheckDestination(name, destination, failures);
        }

        DestinationTopologyRules.Check(ordered, failures);
        return failures;
    }

    /// <summary>True when the value of Kafka client key (or any configuration key) <paramref name="key"/> may be a secret.</summary>
    public static bool IsSecretKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Contains("password", StringComparison.OrdinalIgnoreCase)
            || key.Contains("secret", StringComparison.OrdinalIgnoreCase)
            || key.Contains("token", StringComparison.OrdinalIgnoreCase)
            || key.Contains("key", StringComparison.OrdinalIgnoreCase);
    }

    internal static string Format(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;

    private static void CheckDestination(string name, DestinationOptions? destination, List<string> failures)
    {
        var key = $"{Root}:Destinations:{name}";
        if (string.IsNullOrEmpty(name) || !KafkaNames.HasOnlyLegalCharacters(name))
        {
            failures.Add($"{key}: the destination name may contain only ASCII letters, digits, '.', '_' and '-' (it becomes part of topic and consumer group names)");
        }

        if (destination is null)
        {
            failures.Add($"{key}: must be a section with at least Type and SourceTopics");
            return;
        }

        if (destination.Enabled && string.IsNullOrWhiteSpace(destination.Type))
        {
            failures.Add($"{key}:Type: is required for an enabled destination");
        }

        CheckSourceTopics(key, destination, failures);

        if (destination.ConsumerGroup is { Length: > 0 } group && string.IsNullOrWhiteSpace(group))
        {
            failures.Add($"{key}:ConsumerGroup: must not be blank (leave it out for the default delivery.{name})");
        }

        if (destination.EventIdHeader is { } header)
        {
            if (header.Length > 0 && string.IsNullOrWhiteSpace(header))
            {
                failures.Add($"{key}:EventIdHeader: must not be blank");
            }
            else if (header.StartsWith("delivery-", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{key}:EventIdHeader: must not name a delivery-* header; the worker writes those (was '{header}')");
            }
        }

        if (!Enum.IsDefined(destination.Ordering))
        {
            failures.Add($"{key}:Ordering: must be None or PerKey (was {Format((int)destination.Ordering)})");
        }

        CheckBatch($"{key}:Batch", destination.Batch, failures);
        CheckRateLimit($"{key}:RateLimit", destination.RateLimit, failures);
        CheckConcurrency($"{key}:Concurrency", destination.Concurrency, failures);
        CheckRetry($"{key}:Retry", destination.Retry, failures);

        if (destination.DeadLetter is null)
        {
            failures.Add($"{key}:DeadLetter: is required");
        }
        else
        {
            Annotations(DeadLetterAnnotations, destination.DeadLetter, $"{key}:DeadLetter", failures);
        }

        CheckHttp($"{key}:Http", destination.Http, failures);
    }

    private static void CheckSourceTopics(string key, DestinationOptions destination, List<string> failures)
    {
        var topics = destination.SourceTopics ?? [];
        if (destination.Enabled && topics.Count == 0)
        {
            failures.Add($"{key}:SourceTopics: at least one source topic is required for an enabled destination");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < topics.Count; i++)
        {
            var topic = topics[i];
            if (KafkaNames.TopicProblem(topic) is { } problem)
            {
                failures.Add($"{key}:SourceTopics:{i}: {problem} (was '{topic}')");
            }
            else if (!seen.Add(topic))
            {
                failures.Add($"{key}:SourceTopics:{i}: '{topic}' is listed twice");
            }
        }
    }

    private static void CheckBatch(string key, BatchOptions? batch, List<string> failures)
    {
        if (batch is null)
        {
            failures.Add($"{key}: is required");
            return;
        }

        Annotations(BatchAnnotations, batch, key, failures);
        if (batch.MaxInFlightEvents > 0 && batch.MaxInFlightEvents < batch.MaxEvents)
        {
            failures.Add($"{key}:MaxInFlightEvents: must be at least {key}:MaxEvents ({batch.MaxEvents}) (was {batch.MaxInFlightEvents})");
        }
    }

    private static void CheckRateLimit(string key, RateLimitOptions? limit, List<string> failures)
    {
        if (limit is null)
        {
            failures.Add($"{key}: is required");
            return;
        }

        Annotations(RateLimitAnnotations, limit, key, failures);
        if (limit.EventsBurst > 0 && !(limit.EventsPerSecond > 0))
        {
            failures.Add($"{key}:EventsBurst: has no effect without {key}:EventsPerSecond (was {limit.EventsBurst})");
        }

        if (limit.RequestsBurst > 0 && !(limit.RequestsPerSecond > 0))
        {
            failures.Add($"{key}:RequestsBurst: has no effect without {key}:RequestsPerSecond (was {limit.RequestsBurst})");
        }

        BurstRefillable($"{key}:EventsBurst", limit.EventsPerSecond, limit.EventsBurst, failures);
        BurstRefillable($"{key}:RequestsBurst", limit.RequestsPerSecond, limit.RequestsBurst, failures);
    }

    /// <summary>A bucket is topped up about 20 times a second, so it must hold at least 1/20 s of its rate.</summary>
    private static void BurstRefillable(string key, double perSecond, int burst, List<string> failures)
    {
        if (burst <= 0 || !(perSecond > 0))
        {
            return;
        }

        var least = (int)Math.Ceiling(perSecond / RateLimitOptions.RefillsPerSecond);
        if (burst < least)
        {
            failures.Add($"{key}: must be at least {least}, 1/{RateLimitOptions.RefillsPerSecond} s of the rate, or 0 for one second's worth (was {burst})");
        }
    }

    private static void CheckConcurrency(string key, ConcurrencyOptions? concurrency, List<string> failures)
    {
        if (concurrency is null)
        {
            failures.Add($"{key}: is required");
            return;
        }

        Annotations(ConcurrencyAnnotations, concurrency, key, failures);
    }

    private static void CheckRetry(string key, RetryOptions? retry, List<string> failures)
    {
        if (retry is null)
        {
            failures.Add($"{key}: is required");
            return;
        }

        Annotations(RetryAnnotations, retry, key, failures);

        if (retry.Delays is { } delays)
        {
            for (var i = 0; i < delays.Count; i++)
            {
                if (delays[i] <= TimeSpan.Zero)
                {
                    failures.Add($"{key}:Delays:{i}: must be positive (was {Format(delays[i])})");
                }
                else if (delays[i] > MaxRetryDelay)
                {
                    failures.Add($"{key}:Delays:{i}: must be at most {Format(MaxRetryDelay)} (was {Format(delays[i])})");
                }
            }

            var tiers = delays.Distinct().Count();
            if (tiers > MaxRetryTiers)
            {
                failures.Add($"{key}:Delays: must have at most {MaxRetryTiers} distinct delays, one retry topic each (was {tiers})");
            }
        }

        if (retry.RetryableStatusCodes is { } statuses)
        {
            for (var i = 0; i < statuses.Count; i++)
            {
                if (statuses[i] is < 100 or > 599)
                {
                    failures.Add($"{key}:RetryableStatusCodes:{i}: must be an HTTP status between 100 and 599 (was {statuses[i]})");
                }
            }
        }

        if (retry.RetryableErrorTypes is { } types)
        {
            for (var i = 0; i < types.Count; i++)
            {
                if (!ErrorCodes.IsKnown(types[i]))
                {
                    failures.Add($"{key}:RetryableErrorTypes:{i}: must be one of the ErrorCodes names, e.g. {ErrorCodes.RetryableError} (was '{types[i]}')");
                }
            }
        }
    }

    private static void CheckHttp(string key, DestinationHttpOptions? http, List<string> failures)
    {
        if (http is null)
        {
            failures.Add($"{key}: is required");
            return;
        }

        Annotations(DestinationHttpAnnotations, http, key, failures);

        if (http.BaseAddress is { } uri)
        {
            // The value is not echoed: a URI may carry credentials or a token in its user info or query.
            if (!uri.IsAbsoluteUri)
            {
                failures.Add($"{key}:BaseAddress: must be an absolute http or https URI (was a relative URI)");
            }
            else if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            {
                failures.Add($"{key}:BaseAddress: must be an absolute http or https URI (the scheme was '{uri.Scheme}')");
            }
            else if (uri.UserInfo.Length > 0)
            {
                failures.Add($"{key}:BaseAddress: must not contain credentials; use BearerTokenFile or BasicAuthUser with BasicAuthPasswordFile");
            }
        }

        var bearer = !string.IsNullOrWhiteSpace(http.BearerTokenFile) || !string.IsNullOrWhiteSpace(http.BearerTokenEnvironmentVariable);
        var basicUser = !string.IsNullOrWhiteSpace(http.BasicAuthUser);
        var basicPassword = !string.IsNullOrWhiteSpace(http.BasicAuthPasswordFile);
        if (basicUser && !basicPassword)
        {
            failures.Add($"{key}:BasicAuthPasswordFile: is required when {key}:BasicAuthUser is set");
        }
        else if (basicPassword && !basicUser)
        {
            failures.Add($"{key}:BasicAuthUser: is required when {key}:BasicAuthPasswordFile is set");
        }
        else if (basicUser && bearer)
        {
            failures.Add($"{key}:BasicAuthUser: basic auth and a bearer token exclude each other; set only one of them");
        }

        if (http.BearerTokenEnvironmentVariable is { Length: > 0 } variable && variable.Any(c => c == '=' || char.IsWhiteSpace(c)))
        {
            failures.Add($"{key}:BearerTokenEnvironmentVariable: must be an environment variable name, without '=' or whitespace");
        }
    }

    internal static void Annotations<T>(IValidateOptions<T> validator, T options, string key, List<string> failures)
        where T : class
    {
        if (validator.Validate(null, options).Failures is not { } results)
        {
            return;
        }

        foreach (var failure in results)
        {
            // The generated validators report "Member: message" (ValidateOptionsResultBuilder puts the member first).
            var separator = failure.IndexOf(": ", StringComparison.Ordinal);
            if (separator <= 0)
            {
                failures.Add($"{key}: {failure}");
                continue;
            }

            var member = failure[..separator];
            var message = failure[(separator + 2)..];

            // "The field BatchOptions.MaxEvents must be between 1 and 100000." → "must be between 1 and 100000"
            // (the generated [Range] copy ignores ErrorMessage, so the standard text is trimmed instead).
            var field = $"The field {typeof(T).Name}.{member} ";
            if (message.StartsWith(field, StringComparison.Ordinal))
            {
                message = message[field.Length..].TrimEnd('.');
            }

            failures.Add($"{key}:{member}: {message} (was {Format(typeof(T).GetProperty(member)?.GetValue(options))})");
        }
    }
}
