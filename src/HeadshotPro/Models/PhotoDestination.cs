namespace HeadshotPro
{
    /// <summary>Where a saved headshot goes, for Save-HeadshotPhoto -For: each takes a square JPEG of its own size and byte cap.</summary>
    public enum PhotoDestination
    {
        /// <summary>The on-premises AD thumbnailPhoto attribute: 96×96, at most 10,000 bytes (Exchange Online picks up only 10 KB or less).</summary>
        ActiveDirectory,

        /// <summary>Microsoft Graph PUT /users/{id}/photo/$value (Set-MgUserPhotoContent): 648×648, at most 4 MB.</summary>
        EntraId,

        /// <summary>Exchange Set-UserPhoto: 648×648, at most 4 MB.</summary>
        Exchange,
    }
}
