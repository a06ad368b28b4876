using System;
using System.Collections.Generic;

// Stand-ins for the models of the Microsoft Graph PowerShell SDK (Microsoft.Graph.Users / Microsoft.Graph.Groups), which
// are AutoRest-generated classes: plain .NET properties (read by PowerShell's ordinary .NET adapter, no type adapter),
// interfaces IMicrosoftGraphEntity → IMicrosoftGraphDirectoryObject → IMicrosoftGraphUser, composition rather than
// inheritance between the classes, and whatever the service returned beyond the class's own properties in
// AdditionalProperties (an IDictionary<string, object>; the IAssociativeArray members are implemented explicitly, so
// PowerShell shows only AdditionalProperties). Get-MgGroupMember returns MicrosoftGraphDirectoryObject objects whose
// user fields (mail, userPrincipalName, ...) are only in AdditionalProperties.
namespace Microsoft.Graph.PowerShell.Runtime
{
    public interface IAssociativeArray<T>
    {
        IEnumerable<string> Keys { get; }
        IEnumerable<T> Values { get; }
        T this[string index] { get; set; }
        int Count { get; }
        void Add(string key, T value);
        bool ContainsKey(string key);
        bool Remove(string key);
        bool TryGetValue(string key, out T value);
        void Clear();
    }
}

namespace Microsoft.Graph.PowerShell.Models
{
    using Microsoft.Graph.PowerShell.Runtime;

    public interface IMicrosoftGraphEntity : IAssociativeArray<object>
    {
        string Id { get; set; }
    }

    public interface IMicrosoftGraphDirectoryObject : IMicrosoftGraphEntity
    {
        DateTime? DeletedDateTime { get; set; }
    }

    public interface IMicrosoftGraphUser : IMicrosoftGraphDirectoryObject
    {
        string DisplayName { get; set; }
        string GivenName { get; set; }
        string Surname { get; set; }
        string Mail { get; set; }
        string UserPrincipalName { get; set; }
        string[] OtherMails { get; set; }
        string[] ProxyAddresses { get; set; }
        bool? AccountEnabled { get; set; }
        string Department { get; set; }
        string JobTitle { get; set; }
        string[] BusinessPhones { get; set; }
    }

    public partial class MicrosoftGraphDirectoryObject : IMicrosoftGraphDirectoryObject
    {
        public IDictionary<string, object> AdditionalProperties { get; set; } = new Dictionary<string, object>();

        IEnumerable<string> IAssociativeArray<object>.Keys => AdditionalProperties.Keys;
        IEnumerable<object> IAssociativeArray<object>.Values => AdditionalProperties.Values;
        object IAssociativeArray<object>.this[string index]
        {
            get => AdditionalProperties[index];
            set => AdditionalProperties[index] = value;
        }
        int IAssociativeArray<object>.Count => AdditionalProperties.Count;
        void IAssociativeArray<object>.Add(string key, object value) => AdditionalProperties.Add(key, value);
        bool IAssociativeArray<object>.ContainsKey(string key) => AdditionalProperties.ContainsKey(key);
        bool IAssociativeArray<object>.Remove(string key) => AdditionalProperties.Remove(key);
        bool IAssociativeArray<object>.TryGetValue(string key, out object value) => AdditionalProperties.TryGetValue(key, out value);
        void IAssociativeArray<object>.Clear() => AdditionalProperties.Clear();

        public string Id { get; set; }
        public DateTime? DeletedDateTime { get; set; }
    }

    public partial class MicrosoftGraphUser : IMicrosoftGraphUser
    {
        public IDictionary<string, object> AdditionalProperties { get; set; } = new Dictionary<string, object>();

        IEnumerable<string> IAssociativeArray<object>.Keys => AdditionalProperties.Keys;
        IEnumerable<object> IAssociativeArray<object>.Values => AdditionalProperties.Values;
        object IAssociativeArray<object>.this[string index]
        {
            get => AdditionalProperties[index];
            set => AdditionalProperties[index] = value;
        }
        int IAssociativeArray<object>.Count => AdditionalProperties.Count;
        void IAssociativeArray<object>.Add(string key, object value) => AdditionalProperties.Add(key, value);
        bool IAssociativeArray<object>.ContainsKey(string key) => AdditionalProperties.ContainsKey(key);
        bool IAssociativeArray<object>.Remove(string key) => AdditionalProperties.Remove(key);
        bool IAssociativeArray<object>.TryGetValue(string key, out object value) => AdditionalProperties.TryGetValue(key, out value);
        void IAssociativeArray<object>.Clear() => AdditionalProperties.Clear();

        public string Id { get; set; }
        public DateTime? DeletedDateTime { get; set; }
        public bool? AccountEnabled { get; set; }
        public string[] BusinessPhones { get; set; }
        public string Department { get; set; }
        public string DisplayName { get; set; }
        public string GivenName { get; set; }
        public string JobTitle { get; set; }
        public string Mail { get; set; }
        public string MailNickname { get; set; }
        public string MobilePhone { get; set; }
        public string OfficeLocation { get; set; }
        public string[] OtherMails { get; set; }
        public string PreferredLanguage { get; set; }
        public string[] ProxyAddresses { get; set; }
        public string Surname { get; set; }
        public string UserPrincipalName { get; set; }
    }
}
