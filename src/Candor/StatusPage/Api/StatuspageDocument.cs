namespace Candor.StatusPage.Api;

/// <summary>The eight documents of Statuspage's public API v2.</summary>
public enum StatuspageDocument
{
    /// <summary>Page, components, unresolved incidents, upcoming and active maintenances, then the status.</summary>
    Summary,

    Status,

    Components,

    UnresolvedIncidents,

    /// <summary>The 50 most recent incidents, whatever their status.</summary>
    Incidents,

    UpcomingMaintenances,

    ActiveMaintenances,

    /// <summary>The 50 most recent maintenances, whatever their status.</summary>
    Maintenances,
}

public static class StatuspageDocuments
{
    /// <summary>Where Statuspage serves the document, from the page's origin.</summary>
    public static string Path(this StatuspageDocument document) => document switch
    {
        StatuspageDocument.Summary => "/api/v2/summary.json",
        StatuspageDocument.Status => "/api/v2/status.json",
        StatuspageDocument.Components => "/api/v2/components.json",
        StatuspageDocument.UnresolvedIncidents => "/api/v2/incidents/unresolved.json",
        StatuspageDocument.Incidents => "/api/v2/incidents.json",
        StatuspageDocument.UpcomingMaintenances => "/api/v2/scheduled-maintenances/upcoming.json",
        StatuspageDocument.ActiveMaintenances => "/api/v2/scheduled-maintenances/active.json",
        StatuspageDocument.Maintenances => "/api/v2/scheduled-maintenances.json",
        _ => throw new ArgumentOutOfRangeException(nameof(document), document, null),
    };
}
