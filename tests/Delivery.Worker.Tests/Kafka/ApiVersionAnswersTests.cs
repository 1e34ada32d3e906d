using Delivery.Worker.Kafka;

namespace Delivery.Worker.Tests.Kafka;

public sealed class ApiVersionAnswersTests
{
    private const string A = "[thrd:127.0.0.1:40123/bootstrap]: 127.0.0.1:40123/bootstrap: ";
    private const string B = "[thrd:127.0.0.1:40125/2]: 127.0.0.1:40125/2: ";

    [Fact]
    public void AllServe_NothingLogged_Null()
    {
        var answers = new ApiVersionAnswers();
        answers.Add("BROKER", A + "Broker API support:");

        Assert.Null(answers.AllServe(68));
        Assert.Equal(0, answers.Brokers);
    }

    [Fact]
    public void AllServe_EveryBrokerListsTheKey_True()
    {
        var answers = new ApiVersionAnswers();
        foreach (var broker in new[] { A, B })
        {
            answers.Add("APIVERSION", broker + "Broker API support:");
            answers.Add("APIVERSION", broker + "  ApiKey Produce (0) Versions 0..11");
            answers.Add("APIVERSION", broker + "  ApiKey ConsumerGroupHeartbeat (68) Versions 0..1");
        }

        Assert.True(answers.AllServe(68));
        Assert.Equal(2, answers.Brokers);
    }

    [Fact]
    public void AllServe_OneBrokerLacksTheKey_False()
    {
        var answers = new ApiVersionAnswers();
        answers.Add("APIVERSION", A + "Broker API support:");
        answers.Add("APIVERSION", A + "  ApiKey Produce (0) Versions 0..11");
        answers.Add("APIVERSION", A + "  ApiKey ConsumerGroupHeartbeat (68) Versions 0..1");
        answers.Add("APIVERSION", B + "Broker API support:");
        answers.Add("APIVERSION", B + "  ApiKey Produce (0) Versions 0..9");

        Assert.False(answers.AllServe(68));
        Assert.True(answers.AllServe(0));
    }

    [Fact]
    public void Add_NewAnswerOfTheSameConnection_ReplacesTheOldOne()
    {
        var answers = new ApiVersionAnswers();
        answers.Add("APIVERSION", A + "Broker API support:");
        answers.Add("APIVERSION", A + "  ApiKey ConsumerGroupHeartbeat (68) Versions 0..1");
        answers.Add("APIVERSION", A + "Broker API support:");
        answers.Add("APIVERSION", A + "  ApiKey Produce (0) Versions 0..9");

        Assert.False(answers.AllServe(68));
    }

    [Fact]
    public void Add_OtherFacilityOrShape_Ignored()
    {
        var answers = new ApiVersionAnswers();
        answers.Add("APIVERSION", A + "Broker API support:");
        answers.Add("FEATURE", A + "  ApiKey ConsumerGroupHeartbeat (68) Versions 0..1");
        answers.Add("APIVERSION", A + "Updated enabled protocol features to MsgVer1,ApiVersion");
        answers.Add("APIVERSION", null);

        Assert.False(answers.AllServe(68));
    }
}
