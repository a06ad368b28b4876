using BitMiracle.LibJpeg.Classic;

namespace HeadshotPro.Client.Imaging
{
    /// <summary>
    /// The library's error manager made strict and quiet: an error or a warning (corrupt data, a premature end) is a
    /// <see cref="PhotoImageException"/>, and nothing is written to the console (the default prints warnings).
    /// </summary>
    internal sealed class JpegErrors : jpeg_error_mgr
    {
        public override void error_exit() => throw new PhotoImageException(PhotoImageProblem.Unreadable, format_message());

        public override void emit_message(int msg_level)
        {
            if (msg_level < 0) throw new PhotoImageException(PhotoImageProblem.Unreadable, format_message());
        }

        public override void output_message()
        {
        }
    }
}
