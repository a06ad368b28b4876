using System.Collections.Generic;

namespace HeadshotPro
{
    public sealed class Organization
    {
        public string? Uid { get; set; }
        public string? Name { get; set; }
        public string? Website { get; set; }
        public IReadOnlyList<Team> Teams { get; set; } = new Team[0];

        public override string ToString() => Name ?? Uid ?? "";
    }

    public sealed class Team
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";

        public override string ToString() => Name;
    }
}
