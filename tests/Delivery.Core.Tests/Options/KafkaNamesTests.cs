using Delivery.Core.Options.Validation;

namespace Delivery.Core.Tests.Options;

public sealed class KafkaNamesTests
{
    [Theory]
    [InlineData("orders")]
    [InlineData("orders.retry.1")]
    [InlineData("Orders_EU-2")]
    [InlineData("...")]
    [InlineData("a")]
    public void TopicProblem_Legal_Null(string topic) => Assert.Null(KafkaNames.TopicProblem(topic));

    [Theory]
    [InlineData(null, "must not be empty")]
    [InlineData("", "must not be empty")]
    [InlineData(".", "must not be '.'")]
    [InlineData("..", "must not be '..'")]
    [InlineData("a b", "may contain only")]
    [InlineData("a/b", "may contain only")]
    [InlineData("a:b", "may contain only")]
    [InlineData("ä", "may contain only")]
    public void TopicProblem_Illegal_Reason(string? topic, string reason)
        => Assert.StartsWith(reason, KafkaNames.TopicProblem(topic), StringComparison.Ordinal);

    [Fact]
    public void TopicProblem_Length_Boundary()
    {
        Assert.Null(KafkaNames.TopicProblem(new string('x', 249)));
        Assert.Equal("must be at most 249 characters (was 250)", KafkaNames.TopicProblem(new string('x', 250)));
    }
}
