namespace HeadshotPro.Client.Imaging
{
    /// <summary>Square 8-bit pixels, row after row: 3 components (RGB) or 1 (grey).</summary>
    internal sealed class SquareImage
    {
        public SquareImage(byte[] pixels, int side, int components)
        {
            Pixels = pixels;
            Side = side;
            Components = components;
        }

        public byte[] Pixels { get; }
        public int Side { get; }
        public int Components { get; }
    }
}
