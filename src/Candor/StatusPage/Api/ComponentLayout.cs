using Candor.Monitoring;

namespace Candor.StatusPage.Api;

/// <summary>One record of the API's flat components array, a group header or a component.</summary>
/// <param name="Position">1-based within its level: the top level, or its group.</param>
/// <param name="Children">The member ids of a group, in display order; null for a component.</param>
internal sealed record ComponentRecord(
    string Id,
    string Name,
    ComponentStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Position,
    string? Description,
    string? GroupId,
    IReadOnlyList<string>? Children)
{
    public bool IsGroup => Children is not null;
}

/// <summary>
/// The components as Statuspage lays them out: a group header for each configured <c>group:</c> name, placed at
/// the top level where its first member is configured, with its members numbered inside it.
/// </summary>
internal sealed class ComponentLayout
{
    private readonly Dictionary<string, string> _qualifiedNames;

    public ComponentLayout(IReadOnlyList<PublicComponent> components)
    {
        var configured = components.OrderBy(c => c.Position).ToList();
        var members = configured
            .Where(c => c.Config.Group is not null)
            .ToLookup(c => c.Config.Group!, StringComparer.Ordinal);

        var records = new List<ComponentRecord>(configured.Count);
        var placedGroups = new HashSet<string>(StringComparer.Ordinal);
        var topLevel = 0;
        foreach (var component in configured)
        {
            if (component.Config.Group is not { } group)
            {
                records.Add(Leaf(component, ++topLevel, groupId: null));
            }
            else if (placedGroups.Add(group))
            {
                var groupId = StatuspageIds.GroupId(group);
                var children = members[group].ToList();

                // Statuspage leaves a group's own status and times alone while its members change, and clients
                // are told not to rely on them: a group is as old as its oldest member and never changes.
                var since = children.Min(c => c.CreatedAt);
                records.Add(new ComponentRecord(
                    groupId, group, ComponentStatus.Operational, since, since, ++topLevel, null, null, [.. children.Select(c => c.Config.Id)]));
                records.AddRange(children.Select((c, i) => Leaf(c, i + 1, groupId)));
            }
        }

        // Levels interleave as on Statuspage: by position, ties by age, and a group after its own first member.
        Ordered = [.. records.OrderBy(r => r.Position).ThenBy(r => r.CreatedAt).ThenBy(r => r.IsGroup)];
        LeafStatuses = [.. configured.Select(c => c.Status)];
        _qualifiedNames = configured.ToDictionary(
            c => c.Config.Id,
            c => c.Config.Group is { } group ? $"{group} - {c.Config.Name}" : c.Config.Name,
            StringComparer.Ordinal);
    }

    /// <summary>Every record in the order of the API's components array.</summary>
    public IReadOnlyList<ComponentRecord> Ordered { get; }

    /// <summary>The statuses of the components proper, which alone make the page's status.</summary>
    public IReadOnlyList<ComponentStatus> LeafStatuses { get; }

    /// <summary>The current records of the given components, in the order of the components array.</summary>
    public IEnumerable<ComponentRecord> Select(IEnumerable<string> ids)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        return Ordered.Where(r => !r.IsGroup && wanted.Contains(r.Id));
    }

    /// <summary>The name an update's affected component shows: prefixed by its group, as on Statuspage.</summary>
    public string? QualifiedName(string id) => _qualifiedNames.GetValueOrDefault(id);

    private static ComponentRecord Leaf(PublicComponent component, int position, string? groupId) =>
        new(
            component.Config.Id,
            component.Config.Name,
            component.Status,
            component.CreatedAt,
            component.UpdatedAt,
            position,
            component.Config.Description,
            groupId,
            null);
}
