using EserSecurity.Dashboard.Components.Shared.Imports;

namespace EserSecurity.Tests.Dashboard.Shared;

public sealed class UploadedFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"eser-uploads-test-{Guid.NewGuid():N}");

    [Fact]
    public async Task StageAsync_KeepsTheUploadInATemporaryFile_ThatDisposingDeletes()
    {
        var bytes = Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray();
        var copied = new List<long>();

        var file = await UploadedFile.StageAsync("staff.csv", new MemoryStream(bytes), copied.Add, CancellationToken.None, _folder);

        Assert.Equal("staff.csv", file.Name);
        Assert.Equal(bytes.Length, file.Length);
        Assert.Equal(bytes.Length, copied[^1]);
        Assert.Equal(_folder, Path.GetDirectoryName(file.StagedPath));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(file.StagedPath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.StagedPath));
        }
        await using (var first = file.OpenRead())
        await using (var second = file.OpenRead())
        {
            using var copy = new MemoryStream();
            await second.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
            Assert.Equal(bytes[0], (byte)first.ReadByte());
        }

        file.Dispose();

        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task StageAsync_WhenTheUploadFails_LeavesNothingBehind()
    {
        var failing = new FailingStream(new byte[100_000]);

        var error = await Assert.ThrowsAsync<IOException>(() => UploadedFile.StageAsync("staff.csv", failing, null, CancellationToken.None, _folder));

        Assert.Equal("The connection dropped.", error.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>Gives its first block of bytes, then fails as a dropped connection does.</summary>
    private sealed class FailingStream(byte[] firstBlock) : Stream
    {
        private bool _given;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_given)
            {
                throw new IOException("The connection dropped.");
            }
            _given = true;
            var n = Math.Min(count, firstBlock.Length);
            Array.Copy(firstBlock, 0, buffer, offset, n);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
