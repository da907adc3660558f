using PdfSharp.Drawing;

namespace EserSecurity.Core.Documents.Layout;

/// <summary>Page geometry, type sizes and colours shared by every document: US Letter, one quiet house style.</summary>
internal static class DocumentTheme
{
    public const double PageWidth = 612;
    public const double PageHeight = 792;
    public const double MarginX = 50;
    public const double ContentWidth = PageWidth - 2 * MarginX;

    public const double BandHeight = 84;
    public const double FirstPageBodyTop = BandHeight + 18;
    public const double RunningHeaderBaseline = 34;
    public const double LaterPageBodyTop = 56;
    public const double BodyBottom = PageHeight - 46;
    public const double FooterBaseline = PageHeight - 26;

    public const double BodySize = 9.5;
    public const double LeadSize = 10.5;
    public const double SmallSize = 8;
    public const double TableSize = 8.5;
    public const double HeadingSize = 11.5;
    public const double TitleSize = 21;
    public const double SubtitleSize = 10.5;
    public const double EyebrowSize = 7.5;

    /// <summary>Line height as a multiple of the type size.</summary>
    public const double Leading = 1.32;

    public const double ParagraphSpacing = 5;
    public const double HeadingSpacing = 13;
    public const double ListIndent = 16;
    public const double ListItemSpacing = 2.5;
    public const double CellPaddingX = 5;
    public const double CellPaddingY = 3;
    public const double CalloutPadding = 9;
    public const double QrSize = 74;
    public const double BandQrSize = 68;

    public static readonly XColor Ink = XColor.FromArgb(0x1B, 0x1F, 0x24);
    public static readonly XColor Muted = XColor.FromArgb(0x55, 0x5F, 0x6B);
    public static readonly XColor Navy = XColor.FromArgb(0x1F, 0x3A, 0x5F);
    public static readonly XColor BandAccent = XColor.FromArgb(0xA9, 0xC4, 0xE4);
    public static readonly XColor BandText = XColor.FromArgb(0xFF, 0xFF, 0xFF);
    public static readonly XColor Rule = XColor.FromArgb(0xC9, 0xD1, 0xDB);
    public static readonly XColor Stripe = XColor.FromArgb(0xF2, 0xF5, 0xF8);
    public static readonly XColor InfoFill = XColor.FromArgb(0xE9, 0xF1, 0xFA);
    public static readonly XColor InfoAccent = XColor.FromArgb(0x2F, 0x6D, 0xB5);
    public static readonly XColor WarningFill = XColor.FromArgb(0xFF, 0xF4, 0xE1);
    public static readonly XColor WarningAccent = XColor.FromArgb(0xB8, 0x6E, 0x00);
}
