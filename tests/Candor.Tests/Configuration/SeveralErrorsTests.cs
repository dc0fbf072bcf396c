namespace Candor.Tests.Configuration;

public sealed class SeveralErrorsTests
{
    [Fact]
    public void It_reports_every_error_at_once_in_file_order()
    {
        var result = TestKinds.Load("""
            page: { time_zone: Mars }
            storage: sqlite:data/candor.db
            components:
              - { id: web, name: Website }
            monitors:
              - id: web-home
                component: wbe
                type: http
                target: https://acme.example/
                intervall: 30s
                timeout: 30x
                conditions: [ "status = 200" ]
              - { id: web-home, component: web, type: htp }
            """);

        Assert.Null(result.Config);
        Assert.Equal(
            [
                "candor.yaml:1:20: 'Mars' is not a known time zone: use an IANA name such as Europe/Paris or America/New_York",
                "candor.yaml:7:16: monitor 'web-home' names component 'wbe', which is not defined — did you mean 'web'?",
                "candor.yaml:10:5: unknown key 'intervall' — did you mean 'interval'?",
                "candor.yaml:11:14: '30x' is not a duration: use 30s, 5m, 2h, 14d",
                "candor.yaml:12:27: unknown operator '=' (write == to compare)",
                "candor.yaml:13:11: duplicate monitor id 'web-home', first defined at line 6",
                "candor.yaml:13:43: unknown monitor type 'htp' — did you mean 'http'? Known types: dns, heartbeat, http, tcp",
            ],
            result.Errors.Select(e => e.ToString()));
    }
}
