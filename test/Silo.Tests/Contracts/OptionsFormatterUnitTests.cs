using Actors.Contracts.Hosting;

namespace Actors.Silo.Tests.Contracts;

public sealed class OptionsFormatterUnitTests
{
    [Fact]
    public void Format_ClusterOptionsWithRedisPassword_KeepsEndpointAndHidesPassword()
    {
        var options = new ActorsClusterOptions { Redis = "redis1:6379,password=s3cret,user=admin,ssl=true", ClusterId = "c1" };

        var text = OptionsFormatter.Format(options);

        text.Should().NotContain("s3cret").And.NotContain("admin");
        text.Should().Contain("Redis=redis1:6379,password=***,user=***,ssl=true")
            .And.Contain("ClusterId=c1").And.Contain("ServiceId=actors").And.Contain("LocalGatewayPort=30000");
        text.Should().NotContain(nameof(ActorsClusterOptions.UsesRedis), "computed properties are not settings");
    }

    [Fact]
    public void ForLog_SecretProperty_RedactedWhenWritten()
    {
        var options = new SampleOptions { User = "app", Password = "hunter2", Hosts = ["a", "b"], Timeout = TimeSpan.FromSeconds(1.5) };

        var text = OptionsFormatter.ForLog(options).ToString();

        text.Should().Be("User=app, Password=***, Hosts=[a, b], Timeout=00:00:01.5000000, Empty=(none)");
    }

    [Fact]
    public void Format_SecretNotSet_SaysNone()
    {
        OptionsFormatter.Format(new SampleOptions()).Should().Contain("Password=(none)");
    }

    public sealed class SampleOptions
    {
        public string User { get; set; } = "";

        [Secret]
        public string? Password { get; set; }

        public List<string> Hosts { get; set; } = [];

        public TimeSpan Timeout { get; set; }

        public string? Empty { get; set; }
    }
}
