using System;

namespace HeadshotPro
{
    /// <summary>A person's headshot model (API v2): the photos they uploaded, trained into headshots.</summary>
    public sealed class Model
    {
        public string Id { get; set; } = "";
        public string? Uid { get; set; }

        /// <summary>The address the person was invited at (the directory's), through the invite that links this model; where no invite does, the address the API gives.</summary>
        public string Email { get; set; } = "";

        /// <summary>The address the person signed up with, where it differs from <see cref="Email"/>.</summary>
        public string? SignUpEmail { get; set; }
        public string? Title { get; set; }

        /// <summary>onboarding, waiting, pending (training), generatingHeadshots, active (ready), failed or deleted.</summary>
        public string? Status { get; set; }
        public string? TeamId { get; set; }
        public string? TeamName { get; set; }
        public bool IsDevelopment { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? FinishedAt { get; set; }

        /// <summary>What this run did: Deleted, or AlreadyDeleted (Remove-HeadshotModel -PassThru); null when only read.</summary>
        public string? Outcome { get; set; }

        /// <summary>The same as <see cref="Id"/>, so a model binds to parameters named ModelId.</summary>
        public string ModelId => Id;

        /// <summary>A copy of this model as Remove-HeadshotModel leaves it: status deleted, with what the run did.</summary>
        internal Model Deleted(string outcome)
        {
            var copy = (Model)MemberwiseClone();
            copy.Status = "deleted";
            copy.Outcome = outcome;
            return copy;
        }

        public override string ToString() => Id;
    }
}
