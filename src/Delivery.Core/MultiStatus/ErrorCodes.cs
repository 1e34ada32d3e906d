using System.Collections.Frozen;

namespace Delivery.Core.MultiStatus;

/// <summary>
/// Error type names, equal to Segment's: the 66 HTTP names (including Segment's spelling <c>MOVED_PERMENANTLY</c>),
/// Segment's 12 custom codes, and this project's own.
/// </summary>
public static class ErrorCodes
{
    /// <summary>HTTP 100.</summary>
    public const string Continue = "CONTINUE";

    /// <summary>HTTP 101.</summary>
    public const string SwitchingProtocols = "SWITCHING_PROTOCOLS";

    /// <summary>HTTP 102.</summary>
    public const string Processing = "PROCESSING";

    /// <summary>HTTP 103.</summary>
    public const string EarlyHints = "EARLY_HINTS";

    /// <summary>HTTP 200.</summary>
    public const string Ok = "OK";

    /// <summary>HTTP 201.</summary>
    public const string Created = "CREATED";

    /// <summary>HTTP 202.</summary>
    public const string Accepted = "ACCEPTED";

    /// <summary>HTTP 203.</summary>
    public const string NonAuthoritativeInformation = "NON_AUTHORITATIVE_INFORMATION";

    /// <summary>HTTP 204.</summary>
    public const string NoContent = "NO_CONTENT";

    /// <summary>HTTP 205.</summary>
    public const string ResetContent = "RESET_CONTENT";

    /// <summary>HTTP 206.</summary>
    public const string PartialContent = "PARTIAL_CONTENT";

    /// <summary>HTTP 207.</summary>
    public const string MultiStatus = "MULTI_STATUS";

    /// <summary>HTTP 208.</summary>
    public const string AlreadyReported = "ALREADY_REPORTED";

    /// <summary>HTTP 226.</summary>
    public const string ImUsed = "IM_USED";

    /// <summary>HTTP 300.</summary>
    public const string MultipleChoices = "MULTIPLE_CHOICES";

    /// <summary>HTTP 301.</summary>
    public const string MovedPermenantly = "MOVED_PERMENANTLY";

    /// <summary>HTTP 302.</summary>
    public const string Found = "FOUND";

    /// <summary>HTTP 303.</summary>
    public const string SeeOther = "SEE_OTHER";

    /// <summary>HTTP 304.</summary>
    public const string NotModified = "NOT_MODIFIED";

    /// <summary>HTTP 305.</summary>
    public const string UseProxy = "USE_PROXY";

    /// <summary>HTTP 306.</summary>
    public const string SwitchProxy = "SWITCH_PROXY";

    /// <summary>HTTP 307.</summary>
    public const string TemporaryRedirect = "TEMPORARY_REDIRECT";

    /// <summary>HTTP 308.</summary>
    public const string PermanentRedirect = "PERMANENT_REDIRECT";

    /// <summary>HTTP 400.</summary>
    public const string BadRequest = "BAD_REQUEST";

    /// <summary>HTTP 401.</summary>
    public const string Unauthorized = "UNAUTHORIZED";

    /// <summary>HTTP 402.</summary>
    public const string PaymentRequired = "PAYMENT_REQUIRED";

    /// <summary>HTTP 403.</summary>
    public const string Forbidden = "FORBIDDEN";

    /// <summary>HTTP 404.</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>HTTP 405.</summary>
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";

    /// <summary>HTTP 406.</summary>
    public const string NotAcceptable = "NOT_ACCEPTABLE";

    /// <summary>HTTP 407.</summary>
    public const string ProxyAuthenticationRequired = "PROXY_AUTHENTICATION_REQUIRED";

    /// <summary>HTTP 408.</summary>
    public const string RequestTimeout = "REQUEST_TIMEOUT";

    /// <summary>HTTP 409.</summary>
    public const string Conflict = "CONFLICT";

    /// <summary>HTTP 410.</summary>
    public const string Gone = "GONE";

    /// <summary>HTTP 411.</summary>
    public const string LengthRequired = "LENGTH_REQUIRED";

    /// <summary>HTTP 412.</summary>
    public const string PreconditionFailed = "PRECONDITION_FAILED";

    /// <summary>HTTP 413.</summary>
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";

    /// <summary>HTTP 414.</summary>
    public const string UriTooLong = "URI_TOO_LONG";

    /// <summary>HTTP 415.</summary>
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";

    /// <summary>HTTP 416.</summary>
    public const string RangeNotSatisfiable = "RANGE_NOT_SATISFIABLE";

    /// <summary>HTTP 417.</summary>
    public const string ExpectationFailed = "EXPECTATION_FAILED";

    /// <summary>HTTP 418.</summary>
    public const string ImATeapot = "IM_A_TEAPOT";

    /// <summary>HTTP 421.</summary>
    public const string MisdirectedRequest = "MISDIRECTED_REQUEST";

    /// <summary>HTTP 422.</summary>
    public const string UnprocessableEntity = "UNPROCESSABLE_ENTITY";

    /// <summary>HTTP 423.</summary>
    public const string Locked = "LOCKED";

    /// <summary>HTTP 424.</summary>
    public const string FailedDependency = "FAILED_DEPENDENCY";

    /// <summary>HTTP 425.</summary>
    public const string TooEarly = "TOO_EARLY";

    /// <summary>HTTP 426.</summary>
    public const string UpgradeRequired = "UPGRADE_REQUIRED";

    /// <summary>HTTP 428.</summary>
    public const string PreconditionRequired = "PRECONDITION_REQUIRED";

    /// <summary>HTTP 429.</summary>
    public const string TooManyRequests = "TOO_MANY_REQUESTS";

    /// <summary>HTTP 431.</summary>
    public const string RequestHeaderFieldsTooLarge = "REQUEST_HEADER_FIELDS_TOO_LARGE";

    /// <summary>HTTP 451.</summary>
    public const string UnavailableForLegalReasons = "UNAVAILABLE_FOR_LEGAL_REASONS";

    /// <summary>HTTP 499.</summary>
    public const string Cancelled = "CANCELLED";

    /// <summary>HTTP 500.</summary>
    public const string InternalServerError = "INTERNAL_SERVER_ERROR";

    /// <summary>HTTP 501.</summary>
    public const string NotImplemented = "NOT_IMPLEMENTED";

    /// <summary>HTTP 502.</summary>
    public const string BadGateway = "BAD_GATEWAY";

    /// <summary>HTTP 503.</summary>
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";

    /// <summary>HTTP 504.</summary>
    public const string GatewayTimeout = "GATEWAY_TIMEOUT";

    /// <summary>HTTP 505.</summary>
    public const string HttpVersionNotSupported = "HTTP_VERSION_NOT_SUPPORTED";

    /// <summary>HTTP 506.</summary>
    public const string VariantAlsoNegotiates = "VARIANT_ALSO_NEGOTIATES";

    /// <summary>HTTP 507.</summary>
    public const string InsufficientStorage = "INSUFFICIENT_STORAGE";

    /// <summary>HTTP 508.</summary>
    public const string LoopDetected = "LOOP_DETECTED";

    /// <summary>HTTP 509.</summary>
    public const string BandwidthLimitExceeded = "BANDWIDTH_LIMIT_EXCEEDED";

    /// <summary>HTTP 510.</summary>
    public const string NotExtended = "NOT_EXTENDED";

    /// <summary>HTTP 511.</summary>
    public const string NetworkAuthenticationRequired = "NETWORK_AUTHENTICATION_REQUIRED";

    /// <summary>HTTP 529.</summary>
    public const string SiteIsOverloaded = "SITE_IS_OVERLOADED";

    /// <summary>Invalid API key or access token.</summary>
    public const string InvalidAuthentication = "INVALID_AUTHENTICATION";

    /// <summary>The payload is missing a field or has an invalid value.</summary>
    public const string PayloadValidationFailed = "PAYLOAD_VALIDATION_FAILED";

    /// <summary>The currency is not a valid ISO code.</summary>
    public const string InvalidCurrencyCode = "INVALID_CURRENCY_CODE";

    /// <summary>A generic retryable error.</summary>
    public const string RetryableError = "RETRYABLE_ERROR";

    /// <summary>The refresh token expired.</summary>
    public const string RefreshTokenExpired = "REFRESH_TOKEN_EXPIRED";

    /// <summary>The OAuth refresh failed.</summary>
    public const string OauthRefreshFailed = "OAUTH_REFRESH_FAILED";

    /// <summary>The destination exceeded its time budget.</summary>
    public const string SelfTimeout = "SELF_TIMEOUT";

    /// <summary>Creating an audience failed.</summary>
    public const string CreateAudienceFailed = "CREATE_AUDIENCE_FAILED";

    /// <summary>Getting an audience failed.</summary>
    public const string GetAudienceFailed = "GET_AUDIENCE_FAILED";

    /// <summary>The RETL onMappingSave hook failed.</summary>
    public const string RetlOnMappingSaveFailed = "RETL_ON_MAPPING_SAVE_FAILED";

    /// <summary>The audience membership could not be resolved.</summary>
    public const string InvalidAudienceMembership = "INVALID_AUDIENCE_MEMBERSHIP";

    /// <summary>Fallback when nothing else matches.</summary>
    public const string UnknownError = "UNKNOWN_ERROR";

    /// <summary>The handler left the event's slot unset or answered with fewer slots than the batch has. (this project's own)</summary>
    public const string MissingResponse = "MISSING_RESPONSE";

    /// <summary>The handler threw an exception that is not a destination-level failure. (this project's own)</summary>
    public const string HandlerException = "HANDLER_EXCEPTION";

    /// <summary>The destination's answer could not be understood (not JSON, too large, wrong shape). (this project's own)</summary>
    public const string MalformedResponse = "MALFORMED_RESPONSE";

    /// <summary>The Kafka record could not be read as an event. (this project's own)</summary>
    public const string DeserializationFailed = "DESERIALIZATION_FAILED";

    private static readonly FrozenDictionary<int, string> HttpNames = new Dictionary<int, string>
    {
        [100] = Continue,
        [101] = SwitchingProtocols,
        [102] = Processing,
        [103] = EarlyHints,
        [200] = Ok,
        [201] = Created,
        [202] = Accepted,
        [203] = NonAuthoritativeInformation,
        [204] = NoContent,
        [205] = ResetContent,
        [206] = PartialContent,
        [207] = MultiStatus,
        [208] = AlreadyReported,
        [226] = ImUsed,
        [300] = MultipleChoices,
        [301] = MovedPermenantly,
        [302] = Found,
        [303] = SeeOther,
        [304] = NotModified,
        [305] = UseProxy,
        [306] = SwitchProxy,
        [307] = TemporaryRedirect,
        [308] = PermanentRedirect,
        [400] = BadRequest,
        [401] = Unauthorized,
        [402] = PaymentRequired,
        [403] = Forbidden,
        [404] = NotFound,
        [405] = MethodNotAllowed,
        [406] = NotAcceptable,
        [407] = ProxyAuthenticationRequired,
        [408] = RequestTimeout,
        [409] = Conflict,
        [410] = Gone,
        [411] = LengthRequired,
        [412] = PreconditionFailed,
        [413] = PayloadTooLarge,
        [414] = UriTooLong,
        [415] = UnsupportedMediaType,
        [416] = RangeNotSatisfiable,
        [417] = ExpectationFailed,
        [418] = ImATeapot,
        [421] = MisdirectedRequest,
        [422] = UnprocessableEntity,
        [423] = Locked,
        [424] = FailedDependency,
        [425] = TooEarly,
        [426] = UpgradeRequired,
        [428] = PreconditionRequired,
        [429] = TooManyRequests,
        [431] = RequestHeaderFieldsTooLarge,
        [451] = UnavailableForLegalReasons,
        [499] = Cancelled,
        [500] = InternalServerError,
        [501] = NotImplemented,
        [502] = BadGateway,
        [503] = ServiceUnavailable,
        [504] = GatewayTimeout,
        [505] = HttpVersionNotSupported,
        [506] = VariantAlsoNegotiates,
        [507] = InsufficientStorage,
        [508] = LoopDetected,
        [509] = BandwidthLimitExceeded,
        [510] = NotExtended,
        [511] = NetworkAuthenticationRequired,
        [529] = SiteIsOverloaded,
    }.ToFrozenDictionary();

    private static readonly FrozenSet<string> Custom = new[]
    {
        InvalidAuthentication,
        PayloadValidationFailed,
        InvalidCurrencyCode,
        RetryableError,
        RefreshTokenExpired,
        OauthRefreshFailed,
        SelfTimeout,
        CreateAudienceFailed,
        GetAudienceFailed,
        RetlOnMappingSaveFailed,
        InvalidAudienceMembership,
        UnknownError,
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Own = new[]
    {
        MissingResponse,
        HandlerException,
        MalformedResponse,
        DeserializationFailed,
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> All = HttpNames.Values.Concat(Custom).Concat(Own).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The 66 HTTP status names, by status.</summary>
    public static IReadOnlyDictionary<int, string> HttpStatusNames => HttpNames;

    /// <summary>Segment's 12 custom codes.</summary>
    public static IReadOnlyCollection<string> CustomCodes => Custom;

    /// <summary>This project's own codes.</summary>
    public static IReadOnlyCollection<string> DeliveryCodes => Own;

    /// <summary>The name of an HTTP status; <see cref="UnknownError"/> for a status Segment does not name.</summary>
    public static string FromHttpStatus(int status) => HttpNames.TryGetValue(status, out var name) ? name : UnknownError;

    /// <summary>True when <paramref name="code"/> is one of the known codes (case-sensitive).</summary>
    public static bool IsKnown(string code) => code is not null && All.Contains(code);
}
