using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>Accepts invite statuses in v2's names or v1's; anything else is refused before anything is sent.</summary>
    public sealed class ValidateInviteStatusAttribute : ValidateEnumeratedArgumentsAttribute
    {
        protected override void ValidateElement(object element)
        {
            var text = (element is PSObject ps ? ps.BaseObject : element) as string;
            if (text == null || !InviteStatus.IsKnown(text))
                throw new ValidationMetadataException(
                    $"'{element}' is not an invite status. Use one of: {string.Join(", ", InviteStatus.Names)} (v1's pending-invite, waiting-for-upload, generating-headshots and active are accepted too).");
        }
    }

    /// <summary>Completes invite statuses with v2's names.</summary>
    public sealed class InviteStatusCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            InviteStatus.Names.Where(n => n.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
