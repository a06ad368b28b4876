using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Finds the address in whatever was piped in: a string, or the first non-empty of the properties
    /// Email, Mail, EmailAddress, PrimarySmtpAddress, UserPrincipalName (in that order), read as PowerShell reads a
    /// property — adapted properties first (Get-ADUser's ADEntityAdapter), then a dictionary's keys (hashtables) — with
    /// names compared without case, spaces or punctuation, so CSV headers like "E-mail" or "Email Address" count too.
    /// A one-element collection counts as its element. A Get-ADUser object fetched without its mail attribute is
    /// refused rather than invited at its UserPrincipalName, which is often not a mailbox.
    /// </summary>
    internal static class InputAddress
    {
        public static readonly string[] PropertyNames = { "Email", "Mail", "EmailAddress", "PrimarySmtpAddress", "UserPrincipalName" };

        /// <summary>The trimmed address, or null and an error record saying what was wrong; <paramref name="warning"/> says when a fallback was used.</summary>
        public static string? Resolve(object? input, out ErrorRecord? error, out string? warning)
        {
            error = null;
            warning = null;
            var value = input is PSObject ps ? ps.BaseObject : input;
            var found = value as string;
            if (found == null && value != null)
            {
                var properties = Properties(input!, value);
                var isADUser = IsADUser(input!, properties);
                if (isADUser && !properties.ContainsKey("mail") && !properties.ContainsKey("emailaddress"))
                {
                    error = NoAddress(input!, properties, mailNotFetched: true);
                    return null;
                }
                foreach (var name in PropertyNames)
                {
                    if (!properties.TryGetValue(Key(name), out var property)) continue;
                    found = Text(property);
                    if (string.IsNullOrWhiteSpace(found)) continue;
                    if (isADUser && name == "UserPrincipalName")
                        warning = $"{Describe(input!)} has an empty mail attribute, so it is taken at its UserPrincipalName {found!.Trim()}. Set mail in AD, or filter such users out, if that is not a mailbox.";
                    break;
                }
                if (string.IsNullOrWhiteSpace(found))
                {
                    error = NoAddress(input!, properties, mailNotFetched: false);
                    return null;
                }
            }

            if (string.IsNullOrWhiteSpace(found))
            {
                error = Invalid(input, "The address is empty.");
                return null;
            }
            var address = EmailAddress.Normalize(found!);
            if (!EmailAddress.IsValid(address))
            {
                error = Invalid(address, $"'{address}' is not a valid email address, so nothing was sent for it.");
                return null;
            }
            return address;
        }

        /// <summary>"E-mail", "Email Address" and "email " all read as "emailaddress"/"email": letters and digits only, lower case.</summary>
        private static string Key(string name) => new string(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

        /// <summary>The object's properties by <see cref="Key"/>, as PowerShell sees them, then a dictionary's keys; the first of a name wins.</summary>
        private static Dictionary<string, (string Name, object? Value)> Properties(object input, object value)
        {
            var found = new Dictionary<string, (string Name, object? Value)>(StringComparer.Ordinal);
            foreach (var property in PSObject.AsPSObject(input).Properties)
            {
                var key = Key(property.Name);
                if (found.ContainsKey(key)) continue;
                object? propertyValue;
                try
                {
                    propertyValue = property.Value;
                }
                catch (GetValueException)
                {
                    continue;
                }
                found[key] = (property.Name, propertyValue);
            }
            AddKeys(found, value as IDictionary);
            // Microsoft Graph returns directory objects (Get-MgGroupMember) with the user's fields in AdditionalProperties.
            if (found.TryGetValue("additionalproperties", out var additional)) AddKeys(found, (additional.Value is PSObject ps ? ps.BaseObject : additional.Value) as IDictionary);
            return found;
        }

        private static void AddKeys(Dictionary<string, (string Name, object? Value)> found, IDictionary? dictionary)
        {
            if (dictionary == null) return;
            foreach (DictionaryEntry entry in dictionary)
            {
                if (!(entry.Key is string name)) continue;
                var key = Key(name);
                if (!found.ContainsKey(key)) found[key] = (name, entry.Value);
            }
        }

        private static string? Text((string Name, object? Value) property) => Text(property.Value);

        private static string? Text(object? value)
        {
            if (value is PSObject ps) value = ps.BaseObject;
            if (value is string text) return text;
            if (value is IEnumerable items)
            {
                var all = items.Cast<object?>().Take(2).ToList();
                return all.Count == 1 ? Text(all[0]) : null;
            }
            return value?.ToString();
        }

        private static ErrorRecord Invalid(object? target, string message) =>
            ErrorRecords.Make(new ArgumentException(message), "InvalidEmailAddress", ErrorCategory.InvalidArgument, target, message,
                "Correct the address and run the command again for it.");

        /// <summary>
        /// A Get-ADUser object: by its type name, or — when binding has dropped the wrapper that carried it, as for a
        /// deserialized ADUser (a hashtable after a job or remoting) — by its shape: a distinguished name and object class "user".
        /// </summary>
        private static bool IsADUser(object input, Dictionary<string, (string Name, object? Value)> properties) =>
            PSObject.AsPSObject(input).TypeNames.Any(t => t.EndsWith(".ADUser", StringComparison.Ordinal)) ||
            properties.ContainsKey("distinguishedname") && properties.TryGetValue("objectclass", out var objectClass) &&
            string.Equals(Text(objectClass)?.Trim(), "user", StringComparison.OrdinalIgnoreCase);

        /// <summary>An Active Directory object that is not Get-ADUser's (Get-ADGroupMember's ADPrincipal, a group, a computer).</summary>
        private static bool IsOtherADObject(object input)
        {
            var names = PSObject.AsPSObject(input).TypeNames;
            return names.Any(t => t.Contains("Microsoft.ActiveDirectory.Management.")) && !names.Any(t => t.EndsWith(".ADUser", StringComparison.Ordinal));
        }

        private static string Describe(object input)
        {
            var ps = PSObject.AsPSObject(input);
            var typeName = ps.TypeNames.FirstOrDefault() ?? input.GetType().FullName;
            var name = ps.Properties["SamAccountName"]?.Value ?? ps.Properties["Name"]?.Value;
            return name == null ? $"The input object of type {typeName}" : $"The input object of type {typeName} ({name})";
        }

        private static ErrorRecord NoAddress(object input, Dictionary<string, (string Name, object? Value)> properties, bool mailNotFetched)
        {
            string message, next;
            if (mailNotFetched)
            {
                next = IsOtherADObject(input)
                    ? "Get-ADGroupMember and the other AD cmdlets return objects without mail: pipe them through Get-ADUser -Properties mail."
                    : "Get-ADUser returns the mail attribute only when asked: use Get-ADUser ... -Properties mail.";
                message = $"{Describe(input)} has no mail property, so nothing was sent for it (its UserPrincipalName is not assumed to be a mailbox). {next}";
            }
            else
            {
                next = "Pipe objects with one of those properties, or pass -Email addresses.";
                message = $"{Describe(input)} has no email address in any of the properties {string.Join(", ", PropertyNames)}, so nothing was sent for it.";
                var names = properties.Values.Select(p => p.Name).ToList();
                var semicolon = names.FirstOrDefault(n => n.Contains(";"));
                var tab = names.FirstOrDefault(n => n.Contains("\t"));
                var known = new HashSet<string>(PropertyNames.Select(Key));
                var lookalike = names.FirstOrDefault(n => n.IndexOf("mail", StringComparison.OrdinalIgnoreCase) >= 0 && !known.Contains(Key(n)));
                if (!IsADUser(input, properties) && IsOtherADObject(input))
                    next = "Get-ADGroupMember and the other AD cmdlets return objects without mail: pipe them through Get-ADUser -Properties mail.";
                else if (tab != null)
                    next = $"The column '{tab.Replace("\t", "`t")}' looks like a tab-separated header read as one: use Import-Csv -Delimiter \"`t\".";
                else if (semicolon != null)
                    next = $"The column '{semicolon}' looks like a semicolon-separated header read as one: use Import-Csv -Delimiter ';'.";
                else if (lookalike != null)
                    next = $"The property '{lookalike}' looks like an address column: rename it to Email (Select-Object @{{n='Email';e={{$_.'{lookalike}'}}}}).";
                message += " " + next;
            }
            return ErrorRecords.Make(new ArgumentException(message), "AddressPropertyMissing", ErrorCategory.InvalidArgument, input, message, next);
        }
    }
}
