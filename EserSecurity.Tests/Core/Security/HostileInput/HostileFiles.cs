using System.Text;

namespace EserSecurity.Tests.Core.Security.HostileInput;

/// <summary>The files a hostile or careless uploader gives: empty, binary, UTF-16, endless.</summary>
internal static class HostileFiles
{
    /// <summary>The first bytes of a PNG image: signature, IHDR of a 1×1 image, IEND.</summary>
    public static readonly byte[] Png =
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
        0x89, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    /// <summary>Random bytes from a fixed seed, as from a corrupted or encrypted file.</summary>
    public static byte[] RandomBytes()
    {
        var bytes = new byte[4096];
        new Random(15).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The CSV as Excel's "Unicode text" saves it: UTF-16 little-endian with its byte order mark.</summary>
    public static byte[] Utf16(byte[] utf8Csv) => [.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(utf8Csv))];

    /// <summary>The files every upload refuses as a whole, with words the refusal says.</summary>
    public static readonly Dictionary<string, (Func<byte[], byte[]> Make, string Says)> Refused = new()
    {
        ["empty (0 bytes)"] = (_ => [], "empty"),
        ["PNG image named .csv"] = (_ => Png, "binary data"),
        ["random bytes"] = (_ => RandomBytes(), "binary data"),
        ["UTF-16 with byte order mark"] = (Utf16, "UTF-16"),
    };
}

/// <summary>
/// A file that never ends: its header, then the same row again and again. It counts what was read from it, so a test
/// can show that a reader stops soon after its limit instead of taking everything into memory.
/// </summary>
internal sealed class EndlessCsvStream(string header, string row) : Stream
{
    private readonly byte[] _header = Encoding.UTF8.GetBytes(header + "\r\n");
    private readonly byte[] _row = Encoding.UTF8.GetBytes(row + "\r\n");

    public long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        for (var i = 0; i < count; i++)
        {
            buffer[offset + i] = BytesRead < _header.Length ? _header[BytesRead] : _row[(BytesRead - _header.Length) % _row.Length];
            BytesRead++;
        }
        return count;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
