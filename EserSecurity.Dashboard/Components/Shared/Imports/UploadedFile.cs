namespace EserSecurity.Dashboard.Components.Shared.Imports;

/// <summary>A file uploaded to this circuit. Its bytes stay here, for the preview and the commit, which each read them again.</summary>
public sealed record UploadedFile(string Name, byte[] Bytes)
{
    public Stream OpenRead() => new MemoryStream(Bytes, writable: false);
}
