using System;
using System.Collections.Generic;
using System.Linq;

// Stand-ins for Exchange recipients as an admin's session gets them.
//
// ExchangeOnlineManagement (EXO V2/V3): the REST-backed Get-EXO* cmdlets return live objects of
// Microsoft.Exchange.Management.RestApiClient (ExoMailbox, ExoRecipient, ExoRecipientPermission, ...) whose address
// properties are plain strings — PrimarySmtpAddress is a string with no .Address/.Local/.Domain.
//
// Remote PowerShell (on-premises Exchange, or the retired EXO remote session): Get-Recipient runs on the server and the
// client receives Deserialized.Microsoft.Exchange.Data.Directory.Management.ReducedRecipient property bags. They are
// made here the way remoting makes them: the live server-side classes below are serialized at remoting's default depth
// (1) and deserialized, so PrimarySmtpAddress (a Microsoft.Exchange.Data.SmtpAddress on the server) arrives as its
// string form.
namespace Microsoft.Exchange.Management.RestApiClient
{
    public class ExoRecipient
    {
        public string ExternalDirectoryObjectId { get; set; }
        public string Identity { get; set; }
        public string Alias { get; set; }
        public string[] EmailAddresses { get; set; }
        public string DisplayName { get; set; }
        public string Name { get; set; }
        public string PrimarySmtpAddress { get; set; }
        public string RecipientType { get; set; }
        public string RecipientTypeDetails { get; set; }
        public string ExchangeVersion { get; set; }
        public string DistinguishedName { get; set; }
        public string OrganizationId { get; set; }
    }
}

namespace Microsoft.Exchange.Data
{
    /// <summary>An SMTP address as Exchange's server-side object model holds it.</summary>
    public struct SmtpAddress
    {
        public SmtpAddress(string address)
        {
            Address = address;
        }

        public string Address { get; }
        public string Local => Address?.Split('@')[0];
        public string Domain => Address != null && Address.Contains("@") ? Address.Substring(Address.IndexOf('@') + 1) : null;
        public bool IsValidAddress => Address != null && Address.Count(c => c == '@') == 1;
        public int Length => Address?.Length ?? 0;
        public override string ToString() => Address ?? string.Empty;
    }

    public class ProxyAddressCollection : List<string>
    {
        public ProxyAddressCollection(IEnumerable<string> addresses) : base(addresses ?? Array.Empty<string>()) { }
    }
}

namespace Microsoft.Exchange.Data.Directory
{
    public abstract class ConfigurableObject
    {
        public string Identity { get; set; }
        public bool IsValid => true;
    }

    public abstract class ADPresentationObject : ConfigurableObject
    {
        public string Name { get; set; }
        public string DistinguishedName { get; set; }
        public Guid Guid { get; set; }
    }
}

namespace Microsoft.Exchange.Data.Directory.Management
{
    using Microsoft.Exchange.Data;
    using Microsoft.Exchange.Data.Directory;

    /// <summary>What Get-Recipient returns on the Exchange server; clients see it deserialized.</summary>
    public class ReducedRecipient : ADPresentationObject
    {
        public string Alias { get; set; }
        public string DisplayName { get; set; }
        public SmtpAddress PrimarySmtpAddress { get; set; }
        public ProxyAddressCollection EmailAddresses { get; set; }
        public string RecipientType { get; set; }
        public string RecipientTypeDetails { get; set; }
        public string ExternalDirectoryObjectId { get; set; }
        public string WindowsLiveID { get; set; }
    }
}
