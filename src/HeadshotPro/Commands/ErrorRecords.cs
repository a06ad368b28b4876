using System;
using System.Management.Automation;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>API failures as error records: a stable ErrorId, the right category, the input as target, and what to do next.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord For(Exception error, object? target, string action)
        {
            if (error is HeadshotProApiException api)
            {
                var (id, category, next) = Describe(api);
                if (api.OutcomeUnknown && api.Resource == "Team") next = "The change may have been carried out. Check with Get-HeadshotTeam before running it again.";
                else if (api.OutcomeUnknown) next = "The request may have been carried out. Run the same command again with -SkipExisting (New-HeadshotInvite) or check with Get-HeadshotInvite before acting.";
                return Make(api, id, category, target, $"{action} failed: {api.Message}", next);
            }
            if (error is Client.Api.PhotoFileException file)
                return Make(file, "PhotoWriteFailed", ErrorCategory.WriteError, target, $"{action} failed: {file.Message}",
                    "Check that the folder is writable and has room; nothing partial was left. Run again for the photos that failed (saved files are skipped).");
            if (error is Client.Imaging.PhotoImageException image)
            {
                var (id, category, next) = Describe(image.Problem);
                return Make(image, id, category, target, $"{action} failed: {image.Message}. Nothing was written.", next);
            }
            return Make(error, "UnexpectedError", ErrorCategory.NotSpecified, target, $"{action} failed: {error.Message}", null);
        }

        /// <summary>A team given where a person was wanted: one error for it, and nothing done.</summary>
        public static ErrorRecord NotAPerson(object input, Team team, string nothingDone, string next)
        {
            var message = $"'{team.Name}' ({team.Id}) is a team, not a person, so {nothingDone}.";
            return Make(new ArgumentException(message), "InputNotAPerson", ErrorCategory.InvalidArgument, input, message, next);
        }

        public static ErrorRecord Make(Exception exception, string errorId, ErrorCategory category, object? target, string message, string? recommendedAction) =>
            new ErrorRecord(exception, errorId, category, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction },
            };

        private static (string Id, ErrorCategory Category, string Next) Describe(Client.Imaging.PhotoImageProblem problem)
        {
            switch (problem)
            {
                case Client.Imaging.PhotoImageProblem.TooManyPixels:
                    return ("PhotoTooManyPixels", ErrorCategory.LimitsExceeded,
                        "The photo host sent an image far larger than a headshot; it was not decoded. Save it as sent (without -For or -PixelSize) to look at it, and report it if it persists.");
                case Client.Imaging.PhotoImageProblem.DoesNotFit:
                    return ("PhotoDoesNotFitMaxBytes", ErrorCategory.LimitsExceeded,
                        "Allow more bytes with -MaxBytes, or ask for fewer pixels with -PixelSize.");
                default:
                    return ("PhotoImageUnreadable", ErrorCategory.InvalidData,
                        "The photo host sent something that is not a readable JPEG. Run the command again for it (a fresh download may be whole); if it persists, save it as sent (without -For or -PixelSize) to look at it.");
            }
        }

        private static (string Id, ErrorCategory Category, string? Next) Describe(HeadshotProApiException e)
        {
            switch (e.Kind)
            {
                case ApiErrorKind.Unauthorized:
                    return ("ApiKeyRejected", ErrorCategory.AuthenticationError,
                        "HeadshotPro rejected the API key. Check it, then run Connect-HeadshotPro again (Team Owners create keys at www.headshotpro.com/app/admin/api).");
                case ApiErrorKind.InvalidEmail:
                    return ("InvalidEmailAddress", ErrorCategory.InvalidArgument, "Correct the address and run the command again for it.");
                case ApiErrorKind.InvalidRequest:
                    return ("InvalidRequest", ErrorCategory.InvalidArgument, "Check the values given (for -TeamId, see Get-HeadshotTeam or the organization's teams).");
                case ApiErrorKind.AlreadyExists when e.Resource == "Team":
                    return ("TeamNameTaken", ErrorCategory.ResourceExists, "Team names are unique: choose another name, or use the existing team (Get-HeadshotTeam lists them).");
                case ApiErrorKind.AlreadyExists:
                    return ("InviteAlreadyExists", ErrorCategory.ResourceExists,
                        "Use -SkipExisting to get the existing invite instead, or revoke it first with Revoke-HeadshotInvite to invite again.");
                case ApiErrorKind.UserExists:
                    return ("UserAlreadyExists", ErrorCategory.ResourceExists,
                        "The address already belongs to a HeadshotPro user (of another organization, or who signed up on their own), so it cannot be invited. As HeadshotPro advises, invite the person at another address of theirs, e.g. a + alias such as ann.lee+headshots@contoso.example.");
                case ApiErrorKind.AlreadyDeleted:
                    return ("InviteAlreadyDeleted", ErrorCategory.InvalidOperation, "Nothing to do: the invite is already deleted.");
                case ApiErrorKind.InsufficientCredits:
                    return ("InsufficientCredits", ErrorCategory.QuotaExceeded,
                        "Buy credits (or revoke unused invites to free theirs), then run the command again for the addresses that failed.");
                case ApiErrorKind.Forbidden:
                    return ("Forbidden", ErrorCategory.PermissionDenied, "The key is valid but may not do this; ask a Team Owner to check the organization's API access.");
                case ApiErrorKind.NotFound when e.Resource == "Model":
                    return ("ModelNotFound", ErrorCategory.ObjectNotFound,
                        "Check the id or address; Get-HeadshotModel lists the organization's models (a person has one once they start uploading photos; Get-HeadshotMember shows their stage).");
                case ApiErrorKind.NotFound when e.Resource == "Team":
                    return ("TeamNotFound", ErrorCategory.ObjectNotFound, "Use one of the organization's teams; Get-HeadshotTeam lists them.");
                case ApiErrorKind.NotFound when e.Resource == "Member":
                    return ("MemberNotFound", ErrorCategory.ObjectNotFound,
                        "Only people who accepted their invite are members; Get-HeadshotMember lists them, Get-HeadshotInvite shows who has not accepted yet.");
                case ApiErrorKind.NotFound when e.Resource == "Photo":
                    return ("PhotoNotFound", ErrorCategory.ObjectNotFound, "The photo is gone (deleted by the person or the organization); Get-HeadshotPhoto lists the model's photos.");
                case ApiErrorKind.NotFound when e.Resource == "Favorite":
                    return ("FavoriteNotChosen", ErrorCategory.ObjectNotFound,
                        "The person has not chosen a favorite headshot yet; list all their photos with Get-HeadshotPhoto without -Favorite, or ask again later.");
                case ApiErrorKind.NotFound:
                    return ("InviteNotFound", ErrorCategory.ObjectNotFound, "Check the address or id; Get-HeadshotInvite lists the organization's invites.");
                case ApiErrorKind.RateLimitRetriesExhausted:
                    return ("RateLimitRetriesExhausted", ErrorCategory.LimitsExceeded,
                        "Run the command again later for the items that failed, or allow longer waits with Connect-HeadshotPro -MaxRetryWaitSec.");
                case ApiErrorKind.InviteLimitExceeded:
                    return ("InviteLimitExceeded", ErrorCategory.LimitsExceeded,
                        "The organization has too many pending invites. Revoke unused ones or wait until people accept theirs, then run again for the failed addresses.");
                case ApiErrorKind.ServerError:
                    return ("ServerError", ErrorCategory.ConnectionError,
                        $"HeadshotPro (or a proxy in between) kept failing, or asked to wait longer than -MaxRetryWaitSec allows. Run again later for the failed items.");
                case ApiErrorKind.ConnectionFailed:
                    return ("ConnectionFailed", ErrorCategory.ConnectionError,
                        $"Could not reach HeadshotPro after {HeadshotProClient.MaxAttempts} attempts. Check the network, proxy (-Proxy) and base URI, then run again.");
                case ApiErrorKind.ServiceUnreachable:
                    return ("ServiceUnreachable", ErrorCategory.ConnectionError,
                        "Nothing was sent for this item. Run the same command again once HeadshotPro answers (New-HeadshotInvite -SkipExisting makes a rerun safe); if it persists, check the network, proxy and -BaseUri.");
                case ApiErrorKind.TimedOut:
                    return ("RequestTimedOut", ErrorCategory.OperationTimeout,
                        $"No answer in time after {HeadshotProClient.MaxAttempts} attempts. Run again later, or raise Connect-HeadshotPro -TimeoutSec.");
                case ApiErrorKind.EndpointNotFound:
                    return ("ApiEndpointNotFound", ErrorCategory.InvalidArgument,
                        "Check -BaseUri (or $env:HEADSHOTPRO_BASE_URI): HeadshotPro's is " + ClientSettings.DefaultBaseUri + ", the sandbox's http://127.0.0.1:PORT/api/v1/.");
                case ApiErrorKind.Redirected:
                    return ("ApiRedirected", ErrorCategory.ConnectionError,
                        "Check -BaseUri (HeadshotPro's is " + ClientSettings.DefaultBaseUri + "); a proxy or captive portal may be answering instead of HeadshotPro.");
                case ApiErrorKind.ProxyAuthenticationRequired:
                    return ("ProxyAuthenticationRequired", ErrorCategory.AuthenticationError,
                        "The proxy wants credentials: Connect-HeadshotPro -ProxyUseDefaultCredentials (Windows sign-in) or -ProxyCredential.");
                case ApiErrorKind.TlsFailed:
                    return ("TlsConnectionFailed", ErrorCategory.SecurityError,
                        "Check that the address is HeadshotPro's and that this computer trusts its certificate (a proxy that inspects TLS needs its root certificate installed).");
                case ApiErrorKind.PhotoLinkExpired:
                    return ("PhotoLinkExpired", ErrorCategory.PermissionDenied,
                        "The photo host refused the link as expired and no fresh link could be read from the API. Read the photos again with Get-HeadshotPhoto and save from that.");
                case ApiErrorKind.PhotoDownloadFailed:
                    return ("PhotoDownloadFailed", ErrorCategory.ConnectionError,
                        "Nothing partial was left. Run the same command again for the photos that failed (files already saved are skipped); check the network and proxy if it persists.");
                case ApiErrorKind.PhotoTooLarge:
                    return ("PhotoTooLarge", ErrorCategory.LimitsExceeded,
                        "Nothing was kept. If the photo host really sends photos this large, raise the cap with Save-HeadshotPhoto -MaximumDownloadSize (e.g. -MaximumDownloadSize 200MB); otherwise a proxy or the host is sending something other than a photo.");
                case ApiErrorKind.PhotoDownloadTimedOut:
                    return ("PhotoDownloadTimedOut", ErrorCategory.OperationTimeout,
                        "Nothing was kept. On a slow link allow each attempt more time with Connect-HeadshotPro -TimeoutSec, then run the same command again (saved files are skipped).");
                case ApiErrorKind.PagingMisbehaved:
                    return ("PagingMisbehaved", ErrorCategory.InvalidResult,
                        "What was read before the fault was written; the rest of the list is missing. Run the command again later, and report it to HeadshotPro if it persists.");
                case ApiErrorKind.HostNotFound:
                    return ("HostNotFound", ErrorCategory.ConnectionError, "Check the host name in -BaseUri (or -Proxy) and this computer's DNS.");
                default:
                    return ("UnexpectedResponse", ErrorCategory.InvalidResult, "HeadshotPro answered in an unexpected way; run again, and report it if it persists.");
            }
        }
    }
}
