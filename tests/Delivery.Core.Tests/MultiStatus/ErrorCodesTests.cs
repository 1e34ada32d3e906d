using System.Reflection;
using Delivery.Core.MultiStatus;

namespace Delivery.Core.Tests.MultiStatus;

public sealed class ErrorCodesTests
{
    private static readonly int[] SegmentStatuses =
    [
        100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306, 307, 308,
        400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424,
        425, 426, 428, 429, 431, 451, 499, 500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 529,
    ];

    [Fact]
    public void HttpStatusNames_ExactlySegmentsSixtySix()
    {
        Assert.Equal(66, SegmentStatuses.Length);
        Assert.Equal(SegmentStatuses, ErrorCodes.HttpStatusNames.Keys.Order());
        Assert.Equal(66, ErrorCodes.HttpStatusNames.Values.Distinct().Count());
    }

    [Fact]
    public void CustomCodes_SegmentsTwelve()
    {
        Assert.Equal(
            new[]
            {
                "CREATE_AUDIENCE_FAILED", "GET_AUDIENCE_FAILED", "INVALID_AUDIENCE_MEMBERSHIP", "INVALID_AUTHENTICATION",
                "INVALID_CURRENCY_CODE", "OAUTH_REFRESH_FAILED", "PAYLOAD_VALIDATION_FAILED", "REFRESH_TOKEN_EXPIRED",
                "RETL_ON_MAPPING_SAVE_FAILED", "RETRYABLE_ERROR", "SELF_TIMEOUT", "UNKNOWN_ERROR",
            },
            ErrorCodes.CustomCodes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DeliveryCodes_Ours()
        => Assert.Equal(
            new[] { "DESERIALIZATION_FAILED", "HANDLER_EXCEPTION", "MALFORMED_RESPONSE", "MISSING_RESPONSE" },
            ErrorCodes.DeliveryCodes.Order(StringComparer.Ordinal));

    [Fact]
    public void Constants_ValueEqualsSegmentName_AndAllKnown()
    {
        var constants = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(66 + 12 + 4, constants.Count);
        Assert.Equal(constants.Count, constants.Distinct().Count());
        Assert.All(constants, c => Assert.True(ErrorCodes.IsKnown(c), c));
        Assert.All(constants, c => Assert.Matches("^[A-Z_]+$", c));
    }

    [Theory]
    [InlineData(301, "MOVED_PERMENANTLY")]
    [InlineData(499, "CANCELLED")]
    [InlineData(529, "SITE_IS_OVERLOADED")]
    [InlineData(418, "IM_A_TEAPOT")]
    [InlineData(207, "MULTI_STATUS")]
    [InlineData(226, "IM_USED")]
    [InlineData(100, "CONTINUE")]
    [InlineData(511, "NETWORK_AUTHENTICATION_REQUIRED")]
    public void FromHttpStatus_SegmentSpelling(int status, string name) => Assert.Equal(name, ErrorCodes.FromHttpStatus(status));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(420)]
    [InlineData(440)]
    [InlineData(598)]
    [InlineData(599)]
    [InlineData(600)]
    public void FromHttpStatus_Unknown_UnknownError(int status) => Assert.Equal(ErrorCodes.UnknownError, ErrorCodes.FromHttpStatus(status));

    [Theory]
    [InlineData("BAD_REQUEST", true)]
    [InlineData("RETRYABLE_ERROR", true)]
    [InlineData("MISSING_RESPONSE", true)]
    [InlineData("bad_request", false)]
    [InlineData("MOVED_PERMANENTLY", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsKnown_CaseSensitive(string? code, bool known) => Assert.Equal(known, ErrorCodes.IsKnown(code!));
}
