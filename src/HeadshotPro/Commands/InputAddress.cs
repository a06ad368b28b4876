using System.Collections;
using System.Linq;
using System.Management.Automation;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Finds the address in whatever was piped in: a string, or the first non-empty of the properties
    /// Email, Mail, EmailAddress, PrimarySmtpAddress, UserPrincipalName (in that order) — so Import-Csv rows,
    /// Get-ADUser, Get-MgUser, Exchange recipients and invites all work. A Get-ADUser object that was fetched without
    /// its mail attribute is refused rather than invited at its UserPrincipalName, which is often not a mailbox.
    /// </summary>
    internal static class InputAddress
    {
        public static readonly string[] PropertyNames = { "Email", "Mail", "EmailAddress", "PrimarySmtpAddress", "UserPrincipalName" };

        /// <summary>The trimmed address, or null and an error record saying what was wrong.</summary>
        public static string? Resolve(object? input, out ErrorRecord? error)
        {
            error = null;
            var value = input is PSObject ps ? ps.BaseObject : input;
            string? found = value as string;
            if (found == null && value != null && IsADUser(input!) && PSObject.AsPSObject(input).Properties["mail"] == null)
            {
                error = NoAddress(input!);
                return null;
            }
            if (found == null && value != null)
            {
                foreach (var name in PropertyNames)
                {
                    found = Text(PropertyValue(input!, value, name));
                    if (!string.IsNullOrWhiteSpace(found)) break;
                }
            }

            if (string.IsNullOrWhiteSpace(found))
            {
                error = value is string || value == null ? Invalid(input, "The address is empty.") : NoAddress(input!);
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

        private static object? PropertyValue(object input, object value, string name)
        {
            if (value is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                    if (string.Equals(entry.Key as string, name, System.StringComparison.OrdinalIgnoreCase)) return entry.Value;
                return null;
            }
            return PSObject.AsPSObject(input).Properties[name]?.Value;
        }

        private static string? Text(object? value)
        {
            if (value is PSObject ps) value = ps.BaseObject;
            return value as string ?? (value is IEnumerable ? null : value?.ToString());
        }

        private static ErrorRecord Invalid(object? target, string message) =>
            ErrorRecords.Make(new System.ArgumentException(message), "InvalidEmailAddress", ErrorCategory.InvalidArgument, target, message,
                "Correct the address and run the command again for it.");

        private static bool IsADUser(object input) =>
            PSObject.AsPSObject(input).TypeNames.Any(t => t.EndsWith(".ADUser", System.StringComparison.Ordinal));

        private static ErrorRecord NoAddress(object input)
        {
            var ps = PSObject.AsPSObject(input);
            var typeName = ps.TypeNames.FirstOrDefault() ?? input.GetType().FullName;
            string message, next;
            if (IsADUser(input) && ps.Properties["mail"] == null)
            {
                next = "Get-ADUser returns the mail attribute only when asked: use Get-ADUser ... -Properties mail.";
                message = $"The input object of type {typeName} ({ps.Properties["SamAccountName"]?.Value ?? ps.Properties["Name"]?.Value}) has no mail property, " +
                    $"so nothing was sent for it (its UserPrincipalName is not assumed to be a mailbox). {next}";
            }
            else
            {
                next = "Pipe objects with one of those properties, or pass -Email addresses.";
                message = $"The input object of type {typeName} has no email address in any of the properties {string.Join(", ", PropertyNames)}, so nothing was sent for it.";
                if (ps.Properties["SamAccountName"] != null)
                {
                    next = "For Get-ADUser output, ask for the mail attribute: Get-ADUser ... -Properties mail.";
                    message += " " + next;
                }
            }
            return ErrorRecords.Make(new System.ArgumentException(message), "AddressPropertyMissing", ErrorCategory.InvalidArgument, input, message, next);
        }
    }
}
