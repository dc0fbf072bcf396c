using Candor.Diagnostics;
using Candor.Monitoring;

namespace Candor.Tests.Fixtures;

/// <summary>Keeps the diagnoses a result pipeline asks for, instead of running them.</summary>
public sealed class DiagnosticRequestLog : IDiagnosticRequests
{
    private readonly List<CheckResult> _requested = [];

    public IReadOnlyList<CheckResult> Requested
    {
        get
        {
            lock (_requested)
            {
                return [.. _requested];
            }
        }
    }

    public void Request(CheckResult confirming)
    {
        lock (_requested)
        {
            _requested.Add(confirming);
        }
    }
}
