using System.Collections.Concurrent;
using System.Collections.Frozen;
using PdfSharp.Drawing;
using PdfSharp.Events;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace EserSecurity.Core.Documents.Layout;

/// <summary>
/// The two faces documents use. Every face embedded costs about a millisecond per document (PDFsharp computes a
/// subset of it for each document), so documents use no italic.
/// </summary>
internal enum FontFace
{
    Regular,
    Bold,
}

/// <summary>
/// Liberation Sans (SIL OFL 1.1) shipped inside this assembly, handed to PDFsharp through one process-wide font
/// resolver, plus per-face character widths measured once so layout never asks PDFsharp to measure a string.
/// </summary>
internal static class DocumentFonts
{
    public const string FamilyName = "Liberation Sans";

    private static readonly Lock Gate = new();
    private static readonly Lock MeasureGate = new();
    private static readonly EmbeddedFontResolver Resolver = new();
    private static volatile bool _registered;

    /// <summary>
    /// Sets the font resolver once per process. PDFsharp refuses a different resolver after the first font was used,
    /// so a resolver set elsewhere is kept as long as it can resolve Liberation Sans.
    /// </summary>
    public static void EnsureRegistered()
    {
        if (_registered)
        {
            return;
        }
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }
            var current = GlobalFontSettings.FontResolver;
            if (current is null)
            {
                GlobalFontSettings.FontResolver = Resolver;
            }
            else if (current is not EmbeddedFontResolver && current.ResolveTypeface(FamilyName, false, false) is null)
            {
                throw new InvalidOperationException(
                    $"Another PDF font resolver ({current.GetType().Name}) is set for this process and cannot resolve {FamilyName}.");
            }
            _registered = true;
        }
    }

    /// <summary>
    /// Fonts made so far, one per face and size (the theme's few sizes). An XFont is the typeface and a size, immutable
    /// once made; what a document needs of it (its subset, its font dictionary) is kept by the document. So documents on
    /// any thread share one, and a document does not pay for making its fonts under PDFsharp's process-wide font lock.
    /// </summary>
    private static readonly ConcurrentDictionary<(FontFace Face, double Size), XFont> Made = new();

    /// <summary>The font of <paramref name="face"/> at <paramref name="size"/>, made once per process and shared by every document.</summary>
    public static XFont Get(FontFace face, double size) => Made.GetOrAdd((face, size), static key => Create(key.Face, key.Size));

    private static XFont Create(FontFace face, double size)
    {
        EnsureRegistered();
        var style = face == FontFace.Bold ? XFontStyleEx.Bold : XFontStyleEx.Regular;
        return new XFont(FamilyName, size, style, new XPdfFontOptions(PdfFontEncoding.Unicode, PdfFontEmbedding.TryComputeSubset));
    }

    /// <summary>The width of <paramref name="text"/> in points at <paramref name="size"/>, from cached advance widths.</summary>
    public static double Width(FontFace face, string text, double size) => Width(face, text.AsSpan(), size);

    public static double Width(FontFace face, ReadOnlySpan<char> text, double size)
    {
        var table = Widths[(int)face];
        double total = 0;
        foreach (var c in text)
        {
            total += table.Of(c);
        }
        return total * size;
    }

    /// <summary>Ascent and line metrics of the face at size 1, for placing baselines.</summary>
    public static FaceMetrics Metrics(FontFace face) => Widths[(int)face].Metrics;

    private static readonly WidthTable[] Widths = [new(FontFace.Regular), new(FontFace.Bold)];

    internal readonly record struct FaceMetrics(double Ascent, double Descent);

    /// <summary>
    /// Advance widths at size 1. PDFsharp draws without kerning, so the width of a string is the sum of its characters'
    /// widths; measuring each character once keeps a thousand-row table from measuring thousands of strings.
    /// </summary>
    private sealed class WidthTable
    {
        private const double ReferenceSize = 1000;
        private readonly FontFace _face;
        private readonly double[] _latin = new double[0x250];
        private readonly ConcurrentDictionary<char, double> _other = new();
        private XFont? _font;
        private XGraphics? _measure;
        private FaceMetrics? _metrics;

        public WidthTable(FontFace face)
        {
            _face = face;
            Array.Fill(_latin, double.NaN);
        }

        public FaceMetrics Metrics
        {
            get
            {
                lock (MeasureGate)
                {
                    if (_metrics is null)
                    {
                        var metrics = Font.Metrics;
                        _metrics = new FaceMetrics(metrics.Ascent / (double)metrics.UnitsPerEm, metrics.Descent / (double)metrics.UnitsPerEm);
                    }
                    return _metrics.Value;
                }
            }
        }

        private XFont Font => _font ??= Create(_face, ReferenceSize);

        public double Of(char c)
        {
            if (c < _latin.Length)
            {
                var known = Volatile.Read(ref _latin[c]);
                if (!double.IsNaN(known))
                {
                    return known;
                }
                var measured = Measure(c);
                Volatile.Write(ref _latin[c], measured);
                return measured;
            }
            return _other.GetOrAdd(c, Measure);
        }

        private double Measure(char c)
        {
            EnsureRegistered();
            lock (MeasureGate)
            {
                _measure ??= XGraphics.CreateMeasureContext(new XSize(612, 792), XGraphicsUnit.Point, XPageDirection.Downwards, new RenderEvents());
                return _measure.MeasureString(c.ToString(), Font).Width / ReferenceSize;
            }
        }
    }

    /// <summary>Answers every family with Liberation Sans, so nothing PDFsharp asks for falls back to system fonts.</summary>
    private sealed class EmbeddedFontResolver : IFontResolver
    {
        private const string RegularFace = "LiberationSans-Regular";
        private const string BoldFace = "LiberationSans-Bold";
        private static readonly FrozenDictionary<string, byte[]> Faces = new[] { RegularFace, BoldFace }
            .ToFrozenDictionary(face => face, Load);

        /// <summary>Italic is simulated (slanted) when someone asks for it; the documents themselves never do.</summary>
        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(bold ? BoldFace : RegularFace, false, italic);

        public byte[]? GetFont(string faceName) => Faces.GetValueOrDefault(faceName);

        private static byte[] Load(string face)
        {
            var name = $"EserSecurity.Core.Documents.Fonts.{face}.ttf";
            using var stream = typeof(EmbeddedFontResolver).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"The font {name} is not embedded in EserSecurity.Core.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
