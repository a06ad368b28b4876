using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client;
using HeadshotPro.Client.Api;
using HeadshotPro.Client.Imaging;
using Microsoft.PowerShell.Commands;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Saves headshots (Get-HeadshotPhoto output) as files in one folder, named after the person's invited address by
    /// default. Streams each photo to a temporary file beside its target and renames it into place when complete: never a
    /// half file. Each file carries a <see cref="PhotoStamp"/> saying which photo (and which directory form) it holds: a file
    /// that holds it already is skipped (and written out with Skipped) unless -Force; one that holds another (a changed
    /// favorite, another form), or that no stamp names, is replaced. Expired links are refreshed from the API once, a
    /// person's in one call (<see cref="FreshLinks"/>). The API key never goes to the photo host. -For, -PixelSize and
    /// -MaxBytes save the photo in the form a directory takes instead (<see cref="DirectoryPhoto"/>).
    /// </summary>
    [Cmdlet(VerbsData.Save, "HeadshotPhoto", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = AsSent)]
    [OutputType(typeof(SavedPhoto))]
    public sealed class SaveHeadshotPhoto : HeadshotProPipelineCmdlet
    {
        /// <summary>Photos from Get-HeadshotPhoto.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [Alias("InputObject")]
        public Photo[] Photo { get; set; } = null!;

        /// <summary>The folder to save into; made when it does not exist.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = null!;

        /// <summary>The file name, with tokens {Email}, {PhotoId}, {ModelId} and {Variant}.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string FileName { get; set; } = PhotoFileName.DefaultTemplate;

        /// <summary>Save again a file that holds this very photo already (by default it is skipped).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The largest photo kept, in bytes (50MB by default); a larger body ends that photo with PhotoTooLarge.</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        public long MaximumDownloadSize { get; set; } = PhotoDownloader.DefaultMaxBytes;

        private const string AsSent = "AsSent", DirectoryForm = "DirectoryForm";

        /// <summary>The directory the photo is for: its square JPEG size and byte cap (ActiveDirectory 96×96 and 10,000 bytes; EntraId and Exchange 648×648 and 4 MB).</summary>
        [Parameter(ParameterSetName = DirectoryForm)]
        public PhotoDestination For { get; set; }

        /// <summary>The side of the square JPEG in pixels; with -For, instead of the directory's.</summary>
        [Parameter(ParameterSetName = DirectoryForm)]
        [ValidateRange(PhotoForm.SmallestPixelSize, PhotoForm.LargestPixelSize)]
        public int PixelSize { get; set; }

        /// <summary>The most bytes the JPEG may have (quality is stepped down until it fits); with -For, instead of the directory's; else 4 MB.</summary>
        [Parameter(ParameterSetName = DirectoryForm)]
        [ValidateRange(PhotoForm.SmallestMaxBytes, long.MaxValue)]
        public long MaxBytes { get; set; }

        private PhotoForm? _form;
        private FreshLinks _links = null!;

        private readonly HashSet<string> _names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly DownloadProgress _progress = new DownloadProgress();
        private string _folder = "";
        private string? _folderKey;
        private bool _dryRun;

        protected override string Activity => "Saving HeadshotPro photos";

        protected override string Describe(object target) => "Saving " + Label(target);

        protected override System.Collections.ICollection? GivenItems => Photo;

        protected override (string Done, string MaybeDone)? StoppedRunWording =>
            ("Saved", "were not saved (no partial file is left); run the command again for them");

        protected override string? ProgressDetail =>
            string.Format(CultureInfo.CurrentCulture, "{0:0.0} MB received", _progress.BytesReceived / (1024.0 * 1024.0));

        private static string Label(object target) =>
            target is Photo p ? $"{(string.IsNullOrEmpty(p.Email) ? "photo" : p.Email)} ({p.PhotoId})" : target.ToString() ?? "";

        protected override void BeginInput()
        {
            var templateProblem = PhotoFileName.TemplateProblem(FileName);
            if (templateProblem != null)
            {
                var message = $"-FileName '{FileName}' cannot be used: {templateProblem}.";
                ThrowTerminatingError(ErrorRecords.Make(new ArgumentException(message), "InvalidFileNameTemplate", ErrorCategory.InvalidArgument, FileName, message,
                    "Use the tokens {Email}, {PhotoId}, {ModelId} and {Variant}, e.g. -FileName '{Email}-{PhotoId}.jpg'."));
            }
            // The template with safe stand-ins for its tokens: what it adds itself must be a plain file name.
            PhotoFileName.Render(FileName, new Photo { Email = "a", PhotoId = "b", ModelId = "c", Variant = "d" }, out var literalProblem);
            if (literalProblem != null)
            {
                var message = $"-FileName '{FileName}' would not make a plain file name in -Path: {literalProblem}. Files are saved only directly in -Path.";
                ThrowTerminatingError(ErrorRecords.Make(new ArgumentException(message), "UnsafeFileName", ErrorCategory.InvalidArgument, FileName, message,
                    "Give a file name without folders, e.g. -FileName '{Email}-{PhotoId}.jpg', and the folder in -Path."));
            }

            if (ParameterSetName == DirectoryForm)
            {
                var destination = Bound(nameof(For), For);
                var pixelSize = Bound(nameof(PixelSize), PixelSize);
                if (destination == null && pixelSize == null)
                {
                    const string message = "-MaxBytes caps a directory form, and none was asked for.";
                    ThrowTerminatingError(ErrorRecords.Make(new ArgumentException(message), "PhotoFormIncomplete", ErrorCategory.InvalidArgument, MaxBytes, message,
                        "Also give -For (ActiveDirectory, EntraId or Exchange) or -PixelSize, e.g. -PixelSize 648 -MaxBytes 100KB."));
                }
                _form = PhotoForm.For(destination, pixelSize, Bound(nameof(MaxBytes), MaxBytes));
            }
            _folder = ResolveFolder();
            _folderKey = System.IO.Path.GetDirectoryName(System.IO.Path.Combine(_folder, "x"));
            _dryRun = WhatIfInEffect;
            _links = Session.Client.Downloads.NewFreshLinks();
        }

        /// <summary>-Path as a file-system folder, made when missing (in a dry run, only said).</summary>
        private string ResolveFolder()
        {
            string folder;
            try
            {
                folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out var provider, out _);
                if (provider.ImplementingType != typeof(FileSystemProvider))
                    throw new ArgumentException($"it is on the {provider.Name} provider, not the file system");
                folder = System.IO.Path.GetFullPath(folder);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException)
            {
                throw Terminating(PathNotUsable(Path, e.Message, e));
            }
            if (File.Exists(folder)) ThrowTerminatingError(PathNotUsable(Path, $"{folder} is a file, not a folder", null));
            if (!Directory.Exists(folder))
            {
                if (!ShouldProcess(folder, "Create folder"))
                {
                    if (!WhatIfInEffect) ThrowTerminatingError(PathNotUsable(Path, $"the folder {folder} does not exist and was not created", null));
                    return folder;
                }
                try
                {
                    Directory.CreateDirectory(folder);
                    WriteVerbose($"Created the folder {folder}.");
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    ThrowTerminatingError(PathNotUsable(Path, $"the folder {folder} could not be created: {e.Message}", e));
                }
            }
            return folder;
        }

        private PipelineStoppedException Terminating(ErrorRecord record)
        {
            ThrowTerminatingError(record);
            return new PipelineStoppedException();
        }

        private static ErrorRecord PathNotUsable(string path, string why, Exception? inner)
        {
            var message = $"-Path '{path}' cannot be used: {why}.";
            return ErrorRecords.Make(new ArgumentException(message, inner), "PathNotUsable", ErrorCategory.InvalidArgument, path, message,
                "Give a folder on the file system (it is made when missing), e.g. -Path ./photos.");
        }

        protected override void ProcessInput()
        {
            var downloads = Session.Client.Downloads;
            foreach (var photo in Photo)
            {
                if (photo == null) continue;
                var name = PhotoFileName.Render(FileName, photo, out var problem);
                var full = name == null ? null : System.IO.Path.Combine(_folder, name);
                if (full != null && !string.Equals(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(full)), _folderKey, StringComparison.Ordinal))
                    problem = "it would not be directly in -Path";
                if (problem != null)
                {
                    CountLocal(false);
                    var message = $"{Describe(photo)} failed: the file name {(name == null ? "from -FileName '" + FileName + "'" : "'" + PhotoFileName.Printable(name) + "'")} is not safe: {problem}. Nothing was written.";
                    WriteError(ErrorRecords.Make(new ArgumentException(message), "UnsafeFileName", ErrorCategory.InvalidArgument, photo, message,
                        "Check the photo's Email, PhotoId and ModelId, or choose other tokens with -FileName (e.g. '{PhotoId}.jpg')."));
                    continue;
                }
                if (!_names.Add(name!))
                {
                    CountLocal(false);
                    var message = $"{Describe(photo)} failed: another photo of this run is already saved as {name}; the file is written once.";
                    WriteError(ErrorRecords.Make(new ArgumentException(message), "DuplicateFileName", ErrorCategory.InvalidArgument, photo, message,
                        "Name files per photo, e.g. -FileName '{Email}-{PhotoId}.jpg', or save one photo per person (Get-HeadshotPhoto -Favorite)."));
                    continue;
                }
                var exists = File.Exists(full);
                var held = exists ? PhotoStamp.ReadFile(full!) : null;
                var wanted = PhotoStamp.For(photo.PhotoId, photo.Variant, _form?.Stamp);
                if (exists && !Force && held != null && held.Equals(wanted))
                {
                    if (_dryRun)
                    {
                        ShouldProcess($"{full} holds this photo ({held}) already: it would be skipped (-Force saves it again).", null, null);
                        continue;
                    }
                    CountLocal(true);
                    WriteVerbose($"{full} holds this photo ({held}) already; skipped (-Force saves it again).");
                    WriteObject(Output(photo, full!, new FileInfo(full).Length, skipped: true));
                    continue;
                }
                var who = string.IsNullOrEmpty(photo.Email) ? "photo " + photo.PhotoId : photo.Email;
                var replacing = !exists ? "" : held == null ? ", replacing a file that names no HeadshotPro photo" : held.Equals(wanted) ? ", again" : $", replacing photo {held}";
                if (!ShouldProcess(full, $"Save the headshot of {who} ({photo.Variant}, {photo.PhotoId}){(_form == null ? "" : " as a " + _form)}{replacing}")) continue;

                var folder = _folder;
                var fileName = name!;
                var force = Force.IsPresent || exists;
                var maxBytes = MaximumDownloadSize;
                var progress = _progress;
                var form = _form;
                var links = _links;
                Submit(photo, async (options, ct) =>
                {
                    var result = await downloads.DownloadAsync(photo, folder, fileName, force, maxBytes, options, progress, ct, form, links).ConfigureAwait(false);
                    return Output(result.Photo, result.Path, result.Bytes, result.Skipped, result.Made);
                }, label: Label(photo));
            }
        }

        private T? Bound<T>(string name, T value) where T : struct => MyInvocation.BoundParameters.ContainsKey(name) ? value : (T?)null;

        private static SavedPhoto Output(Photo photo, string path, long bytes, bool skipped, MadePhoto? made = null) => new SavedPhoto
        {
            Width = made?.Width,
            Height = made?.Height,
            Quality = made?.Quality,
            Email = photo.Email ?? "",
            SignUpEmail = photo.SignUpEmail,
            Path = path,
            Bytes = bytes,
            PhotoId = photo.PhotoId,
            ModelId = photo.ModelId,
            Variant = photo.Variant,
            IsFavorite = photo.IsFavorite,
            Skipped = skipped,
        };

        /// <summary>After a stopped run: the downloads cancelled, waits briefly for them to remove their temporary files, then removes what is left.</summary>
        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing) _progress.CleanUp(TimeSpan.FromSeconds(1));
        }
    }
}
