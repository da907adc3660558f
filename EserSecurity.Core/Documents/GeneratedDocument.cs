namespace EserSecurity.Core.Documents;

/// <summary>A generated file, ready to send: its suggested file name, MIME type and bytes.</summary>
public sealed record GeneratedDocument(string FileName, string ContentType, byte[] Content)
{
    public const string PdfContentType = "application/pdf";
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string ZipContentType = "application/zip";
}
