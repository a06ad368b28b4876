using System;

namespace HeadshotPro.Client.Imaging
{
    /// <summary>
    /// Resizes a square image, one axis at a time: down by averaging the source pixels each output pixel covers (each
    /// weighted by how much of it is covered), up by linear interpolation.
    /// </summary>
    internal static class SquareResampler
    {
        public static SquareImage Resize(SquareImage source, int side)
        {
            if (source.Side == side) return source;
            var taps = Taps(source.Side, side);
            int n = source.Side, c = source.Components;

            // Rows first: n rows of side pixels; all components of a pixel at once.
            var across = new float[n * side * c];
            var input = source.Pixels;
            for (var y = 0; y < n; y++)
            {
                var rowStart = y * n * c;
                for (var x = 0; x < side; x++)
                {
                    var weights = taps[x].Weights;
                    var at = rowStart + taps[x].First * c;
                    var o = (y * side + x) * c;
                    for (var k = 0; k < c; k++)
                    {
                        float sum = 0;
                        for (int t = 0, i = at + k; t < weights.Length; t++, i += c) sum += weights[t] * input[i];
                        across[o + k] = sum;
                    }
                }
            }

            // Then columns: each output row is a weighted sum of whole rows of the first pass.
            var stride = side * c;
            var sums = new float[stride];
            var pixels = new byte[side * stride];
            for (var y = 0; y < side; y++)
            {
                Array.Clear(sums, 0, stride);
                var weights = taps[y].Weights;
                for (var t = 0; t < weights.Length; t++)
                {
                    var w = weights[t];
                    var from = (taps[y].First + t) * stride;
                    for (var x = 0; x < stride; x++) sums[x] += w * across[from + x];
                }
                var to = y * stride;
                for (var x = 0; x < stride; x++) pixels[to + x] = (byte)Math.Min(255, Math.Max(0, (int)(sums[x] + 0.5f)));
            }
            return new SquareImage(pixels, side, c);
        }

        private readonly struct Tap
        {
            public Tap(int first, float[] weights)
            {
                First = first;
                Weights = weights;
            }

            public int First { get; }
            public float[] Weights { get; }
        }

        /// <summary>For each output pixel of <paramref name="to"/>: the first source pixel of <paramref name="from"/> it reads and the weights, which sum to 1.</summary>
        private static Tap[] Taps(int from, int to)
        {
            var taps = new Tap[to];
            var scale = (double)from / to;
            for (var i = 0; i < to; i++)
            {
                if (from == 1)
                {
                    taps[i] = new Tap(0, new[] { 1f });
                }
                else if (scale >= 1)
                {
                    double start = i * scale, end = (i + 1) * scale;
                    var first = (int)Math.Floor(start);
                    var last = Math.Min(from - 1, (int)Math.Ceiling(end) - 1);
                    var weights = new float[last - first + 1];
                    for (var j = first; j <= last; j++)
                        weights[j - first] = (float)((Math.Min(end, j + 1) - Math.Max(start, j)) / scale);
                    taps[i] = new Tap(first, weights);
                }
                else
                {
                    var centre = Math.Max(0, Math.Min(from - 1, (i + 0.5) * scale - 0.5));
                    var first = Math.Min((int)Math.Floor(centre), from - 2);
                    var fraction = (float)(centre - first);
                    taps[i] = new Tap(first, new[] { 1 - fraction, fraction });
                }
            }
            return taps;
        }
    }
}
