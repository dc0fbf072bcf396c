using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Candor.Cli;

/// <summary>
/// A pre-launch check as JUnit XML, which every CI system shows: one test suite, one test case per monitor; a down
/// monitor's case fails with the check's message, a heartbeat's is skipped with the reason, a degraded one passes
/// and says so in its output.
/// </summary>
public static class JUnitReport
{
    public static XDocument Create(IReadOnlyList<MonitorVerdict> verdicts, DateTimeOffset startedAt, TimeSpan elapsed) =>
        new(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                "testsuite",
                new XAttribute("name", "candor test"),
                new XAttribute("tests", verdicts.Count),
                new XAttribute("failures", verdicts.Count(v => v.Verdict == Verdict.Failed)),
                new XAttribute("errors", 0),
                new XAttribute("skipped", verdicts.Count(v => v.Verdict == Verdict.Skipped)),
                new XAttribute("time", Seconds(elapsed)),
                new XAttribute("timestamp", startedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
                verdicts.Select(TestCase)));

    public static async Task WriteAsync(XDocument report, string path, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        var settings = new XmlWriterSettings { Async = true, Indent = true, Encoding = new UTF8Encoding(false) };
        await using var writer = XmlWriter.Create(file, settings);
        await report.SaveAsync(writer, cancellationToken);
    }

    private static XElement TestCase(MonitorVerdict verdict)
    {
        var testCase = new XElement(
            "testcase",
            new XAttribute("name", verdict.Monitor.Id),
            new XAttribute("classname", $"{verdict.Monitor.Component}.{verdict.Monitor.Type}"),
            new XAttribute("time", Seconds(verdict.Result?.Duration ?? TimeSpan.Zero)));
        switch (verdict.Verdict)
        {
            case Verdict.Failed:
                testCase.Add(new XElement(
                    "failure",
                    new XAttribute("message", verdict.Detail),
                    new XAttribute("type", verdict.Result?.ErrorKind?.ToString().ToLowerInvariant() ?? "down"),
                    verdict.Detail));
                break;
            case Verdict.Skipped:
                testCase.Add(new XElement("skipped", new XAttribute("message", verdict.Detail)));
                break;
            case Verdict.Degraded:
                testCase.Add(new XElement("system-out", $"degraded: {verdict.Detail}"));
                break;
        }

        return testCase;
    }

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
