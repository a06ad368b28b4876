using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;

// Stand-ins for Microsoft.ActiveDirectory.Management.dll (the RSAT ActiveDirectory module), after its public class
// reference (learn.microsoft.com/dotnet/api/microsoft.activedirectory.management) and the module's
// ActiveDirectory.Types.ps1xml, which registers ADEntityAdapter for each class with a <TypeAdapter> element.
//
// What an admin sees of a Get-ADUser object comes from that adapter: every attribute the cmdlet fetched is a key of the
// object's property collection, and the adapter shows each key as a property whose value is the key's
// ADPropertyValueCollection.Value (so $u.mail is a string, and mail is listed by Get-Member only when it was fetched).
// The typed .NET properties (DistinguishedName, SamAccountName, ...) read the same collection.
//
// Known difference: SID is held as its string form ("S-1-5-21-..."), because System.Security.Principal.SecurityIdentifier
// throws PlatformNotSupportedException outside Windows; the real ADPrincipal.SID is a SecurityIdentifier.
namespace Microsoft.ActiveDirectory.Management
{
    /// <summary>The values of one attribute: empty, one, or many.</summary>
    public class ADPropertyValueCollection : CollectionBase
    {
        private bool _trackChanges;

        public ADPropertyValueCollection() { }

        public ADPropertyValueCollection(object value)
        {
            if (value != null) InnerList.Add(value);
        }

        public ADPropertyValueCollection(ICollection values)
        {
            if (values != null) InnerList.AddRange(values);
        }

        /// <summary>Null when empty, the element when one, an object[] when more; setting it replaces the values.</summary>
        public object Value
        {
            get
            {
                if (Count == 0) return null;
                if (Count == 1) return InnerList[0];
                return InnerList.ToArray();
            }
            set
            {
                Clear();
                if (value == null) return;
                if (value is ICollection many && !(value is string)) foreach (var item in many) Add(item);
                else Add(value);
            }
        }

        public IList ValueList => InnerList;

        public bool TrackChanges
        {
            get => _trackChanges;
            set => _trackChanges = value;
        }

        public ArrayList AddedValues { get; } = new ArrayList();
        public ArrayList DeletedValues { get; } = new ArrayList();
        public bool IsValuesCleared { get; private set; }

        public object this[int index]
        {
            get => List[index];
            set => List[index] = value;
        }

        public int Add(object value) => List.Add(value);

        public void AddRange(object[] values)
        {
            foreach (var value in values) Add(value);
        }

        public void AddRange(ADPropertyValueCollection values)
        {
            foreach (var value in values) Add(value);
        }

        public bool Contains(object value) => List.Contains(value);
        public void CopyTo(object[] array, int index) => List.CopyTo(array, index);
        public int IndexOf(object value) => List.IndexOf(value);
        public void Insert(int index, object value) => List.Insert(index, value);
        public void Remove(object value) => List.Remove(value);

        protected override void OnInsertComplete(int index, object value)
        {
            if (_trackChanges) AddedValues.Add(value);
        }

        protected override void OnRemoveComplete(int index, object value)
        {
            if (_trackChanges) DeletedValues.Add(value);
        }

        protected override void OnClearComplete()
        {
            if (_trackChanges) IsValuesCleared = true;
        }
    }

    /// <summary>
    /// Attribute name → <see cref="ADPropertyValueCollection"/>, names compared without case, in the style of
    /// System.Collections.DictionaryBase (InnerDictionary and the On* hooks are protected).
    /// </summary>
    public class ADPropertyCollection : IDictionary
    {
        private readonly Hashtable _dictionary = new Hashtable(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _order = new List<string>();
        private readonly HashSet<string> _added = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _modified = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _removed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public ADPropertyCollection() { }

        protected IDictionary InnerDictionary => _dictionary;

        /// <summary>The attribute's values, or null when the object does not hold that attribute.</summary>
        public ADPropertyValueCollection this[string propertyName]
        {
            get
            {
                var current = _dictionary[propertyName];
                return (ADPropertyValueCollection)OnGet(propertyName, current);
            }
            set => SetEntry(propertyName, value);
        }

        public ICollection PropertyNames => _order.ToArray();
        public int PropertyCount => _dictionary.Count;
        public ICollection AddedProperties => _added.ToArray();
        public ICollection ModifiedProperties => _modified.ToArray();
        public ICollection RemovedProperties => _removed.ToArray();

        public bool Contains(string propertyName) => _dictionary.ContainsKey(propertyName);

        public IDictionaryEnumerator GetEnumerator() => new Enumerator(this);

        private void SetEntry(string key, object value)
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            var values = value as ADPropertyValueCollection ?? new ADPropertyValueCollection(value);
            OnValidate(key, values);
            if (_dictionary.ContainsKey(key))
            {
                var old = _dictionary[key];
                OnSet(key, old, values);
                _dictionary[key] = values;
                _modified.Add(key);
                OnSetComplete(key, old, values);
            }
            else
            {
                OnInsert(key, values);
                _dictionary[key] = values;
                _order.Add(key);
                _added.Add(key);
                OnInsertComplete(key, values);
            }
        }

        private void RemoveEntry(string key)
        {
            if (!_dictionary.ContainsKey(key)) return;
            var old = _dictionary[key];
            OnValidate(key, old);
            OnRemove(key, old);
            _dictionary.Remove(key);
            _order.RemoveAll(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            _removed.Add(key);
            OnRemoveComplete(key, old);
        }

        protected virtual void OnClear() { }
        protected virtual void OnClearComplete() { }
        protected virtual object OnGet(object key, object currentValue) => currentValue;
        protected virtual void OnInsert(object key, object value) { }
        protected virtual void OnInsertComplete(object key, object value) { }
        protected virtual void OnRemove(object key, object value) { }
        protected virtual void OnRemoveComplete(object key, object value) { }
        protected virtual void OnSet(object key, object oldValue, object newValue) { }
        protected virtual void OnSetComplete(object key, object oldValue, object newValue) { }

        protected virtual void OnValidate(object key, object value)
        {
            if (!(key is string)) throw new ArgumentException("Attribute names are strings.", nameof(key));
        }

        object IDictionary.this[object key]
        {
            get => key is string name ? this[name] : null;
            set => SetEntry((string)key, value);
        }

        ICollection IDictionary.Keys => _order.ToArray();
        ICollection IDictionary.Values => _order.Select(k => _dictionary[k]).ToArray();
        bool IDictionary.IsReadOnly => false;
        bool IDictionary.IsFixedSize => false;
        void IDictionary.Add(object key, object value)
        {
            if (_dictionary.ContainsKey(key)) throw new ArgumentException($"The property '{key}' is already present.");
            SetEntry((string)key, value);
        }

        void IDictionary.Clear()
        {
            OnClear();
            foreach (var key in _order.ToArray()) _removed.Add(key);
            _dictionary.Clear();
            _order.Clear();
            OnClearComplete();
        }

        bool IDictionary.Contains(object key) => key is string name && Contains(name);
        void IDictionary.Remove(object key) => RemoveEntry((string)key);
        IDictionaryEnumerator IDictionary.GetEnumerator() => GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        int ICollection.Count => _dictionary.Count;
        bool ICollection.IsSynchronized => false;
        object ICollection.SyncRoot => _dictionary.SyncRoot;

        void ICollection.CopyTo(Array array, int index)
        {
            foreach (var key in _order) array.SetValue(new DictionaryEntry(key, _dictionary[key]), index++);
        }

        private sealed class Enumerator : IDictionaryEnumerator
        {
            private readonly ADPropertyCollection _owner;
            private readonly string[] _keys;
            private int _index = -1;

            public Enumerator(ADPropertyCollection owner)
            {
                _owner = owner;
                _keys = owner._order.ToArray();
            }

            public DictionaryEntry Entry => new DictionaryEntry(_keys[_index], _owner._dictionary[_keys[_index]]);
            public object Key => Entry.Key;
            public object Value => Entry.Value;
            public object Current => Entry;
            public bool MoveNext() => ++_index < _keys.Length;
            public void Reset() => _index = -1;
        }

        /// <summary>The single value of an attribute, or null (what the typed properties read).</summary>
        protected object GetValue(string name) => Contains(name) ? this[name].Value : null;

        protected void SetValue(string name, object value) => this[name] = new ADPropertyValueCollection(value);
    }

    public class ADEntity : ADPropertyCollection
    {
        public ADEntity() { }
    }

    public class ADObject : ADEntity
    {
        public ADObject() { }

        public ADObject(string identity)
        {
            if (identity != null) Identity = identity;
        }

        public ADObject(Guid? guid)
        {
            if (guid.HasValue) ObjectGuid = guid;
        }

        /// <summary>What the object was made from, as in the real class (not an attribute; not shown by the adapter).</summary>
        internal string Identity { get; set; }

        public string DistinguishedName
        {
            get => (string)GetValue("DistinguishedName");
            set => SetValue("DistinguishedName", value);
        }

        public string Name
        {
            get => (string)GetValue("Name");
            set => SetValue("Name", value);
        }

        public string ObjectClass
        {
            get => (string)GetValue("ObjectClass");
            set => SetValue("ObjectClass", value);
        }

        public Guid? ObjectGuid
        {
            get => (Guid?)GetValue("ObjectGUID");
            set => SetValue("ObjectGUID", value);
        }

        public override string ToString() => DistinguishedName ?? Identity ?? base.ToString();
    }

    public class ADPrincipal : ADObject
    {
        public ADPrincipal() { }
        public ADPrincipal(string identity) : base(identity) { }
        public ADPrincipal(Guid? guid) : base(guid) { }

        public ADPrincipal(ADObject identity)
        {
            if (identity == null) return;
            foreach (DictionaryEntry entry in (IDictionary)identity) this[(string)entry.Key] = (ADPropertyValueCollection)entry.Value;
        }

        public string SamAccountName
        {
            get => (string)GetValue("SamAccountName");
            set => SetValue("SamAccountName", value);
        }

        /// <summary>The SID in its string form (see the note at the top of this file).</summary>
        public string SID
        {
            get => (string)GetValue("SID");
            set => SetValue("SID", value);
        }
    }

    public class ADAccount : ADPrincipal
    {
        public ADAccount() { }
        public ADAccount(string identity) : base(identity) { }
        public ADAccount(Guid? guid) : base(guid) { }
        public ADAccount(ADObject identity) : base(identity) { }

        public bool? Enabled
        {
            get => (bool?)GetValue("Enabled");
            set => SetValue("Enabled", value);
        }

        public string UserPrincipalName
        {
            get => (string)GetValue("UserPrincipalName");
            set => SetValue("UserPrincipalName", value);
        }
    }

    public class ADUser : ADAccount
    {
        public ADUser() { }
        public ADUser(string identity) : base(identity) { }
        public ADUser(Guid? guid) : base(guid) { }
        public ADUser(ADObject identity) : base(identity) { }

        public string GivenName
        {
            get => (string)GetValue("GivenName");
            set => SetValue("GivenName", value);
        }

        public string Surname
        {
            get => (string)GetValue("Surname");
            set => SetValue("Surname", value);
        }
    }

    public class ADGroup : ADPrincipal
    {
        public ADGroup() { }
        public ADGroup(string identity) : base(identity) { }
        public ADGroup(ADObject identity) : base(identity) { }
    }

    /// <summary>
    /// Shows each key of an <see cref="ADPropertyCollection"/> as a property whose value is the key's
    /// <see cref="ADPropertyValueCollection.Value"/>; setting the property sets the values.
    /// </summary>
    public class ADEntityAdapter : PSPropertyAdapter
    {
        public override Collection<PSAdaptedProperty> GetProperties(object baseObject)
        {
            var entity = (ADPropertyCollection)baseObject;
            var properties = new Collection<PSAdaptedProperty>();
            foreach (string name in entity.PropertyNames) properties.Add(new PSAdaptedProperty(name, null));
            return properties;
        }

        public override PSAdaptedProperty GetProperty(object baseObject, string propertyName)
        {
            var entity = (ADPropertyCollection)baseObject;
            if (!entity.Contains(propertyName)) return null;
            // The name as the object holds it ("mail", not "MAIL"), as PowerShell shows it.
            var name = entity.PropertyNames.Cast<string>().First(n => string.Equals(n, propertyName, StringComparison.OrdinalIgnoreCase));
            return new PSAdaptedProperty(name, null);
        }

        /// <summary>
        /// Attributes the AD schema marks multi-valued: for these the adapter gives the ADPropertyValueCollection itself
        /// (why Export-Csv of Get-ADUser -Properties proxyAddresses writes "Microsoft.ActiveDirectory.Management.ADPropertyValueCollection"),
        /// for the others its Value. The real adapter asks the schema; this list covers the attributes the stand-ins return.
        /// </summary>
        private static readonly HashSet<string> MultiValued = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "proxyAddresses", "otherMailbox", "memberOf", "servicePrincipalName", "otherTelephone", "url",
        };

        public override object GetPropertyValue(PSAdaptedProperty adaptedProperty)
        {
            var values = ((ADPropertyCollection)adaptedProperty.BaseObject)[adaptedProperty.Name];
            if (values == null) return null;
            return MultiValued.Contains(adaptedProperty.Name) ? values : values.Value;
        }

        public override void SetPropertyValue(PSAdaptedProperty adaptedProperty, object value)
        {
            var entity = (ADPropertyCollection)adaptedProperty.BaseObject;
            if (value is PSObject ps) value = ps.BaseObject;
            var values = entity[adaptedProperty.Name];
            if (values == null) entity[adaptedProperty.Name] = new ADPropertyValueCollection(value);
            else values.Value = value;
        }

        public override bool IsGettable(PSAdaptedProperty adaptedProperty) => true;

        public override bool IsSettable(PSAdaptedProperty adaptedProperty) => true;

        public override string GetPropertyTypeName(PSAdaptedProperty adaptedProperty)
        {
            var value = GetPropertyValue(adaptedProperty);
            return value == null ? typeof(object).FullName : value.GetType().FullName;
        }
    }
}
