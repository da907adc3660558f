using System.Buffers.Binary;
using System.Text;

namespace EserSecurity.Benchmarks.Circuits;

/// <summary>What a render batch edit does to the browser's DOM (the server's RenderTreeEditType numbering).</summary>
internal enum RenderEditKind
{
    PrependFrame = 1,
    RemoveFrame = 2,
    SetAttribute = 3,
    RemoveAttribute = 4,
    UpdateText = 5,
    StepIn = 6,
    StepOut = 7,
    UpdateMarkup = 8,
    PermutationListEntry = 9,
    PermutationListEnd = 10,
}

/// <summary>One edit of a component's diff.</summary>
internal readonly record struct RenderBatchEdit(int ComponentId, RenderEditKind Kind, int SiblingIndex, int ReferenceFrameIndex);

/// <summary>
/// The parts of a render batch the load client looks at: its string table (every text, attribute value and element name
/// the batch brings, in the order the server wrote them), the edits per component, and how many reference frames it carries.
/// </summary>
internal sealed record RenderBatchSummary(IReadOnlyList<string> Strings, IReadOnlyList<RenderBatchEdit> Edits, int ReferenceFrameCount)
{
    public int Count(RenderEditKind kind) => Edits.Count(e => e.Kind == kind);
}

/// <summary>
/// Reads the binary render batch a Blazor Server circuit sends in <c>JS.RenderBatch</c>, the format Blazor's script
/// reads. Little-endian throughout; the batch ends with five offsets: the updated components (a count, then the
/// offset of each component's diff), the reference frames (a count, then frames of 20 bytes), the disposed component
/// ids, the disposed event handler ids, and the string table (an offset per string, up to those five offsets; each
/// string a 7-bit length prefix and UTF-8). A diff is the component id, the edit count and edits of 16 bytes: kind,
/// sibling index, reference frame index (or the index to move to) and the removed attribute's name (a string index).
/// </summary>
/// <remarks>
/// The client only needs the strings and the edits: it recognises a live update by the texts it brings (the queue's
/// new total) and does not rebuild the DOM, so frames are counted, not read.
/// </remarks>
internal static class RenderBatchReader
{
    private const int TrailerSize = 5 * sizeof(int);
    private const int EditSize = 4 * sizeof(int);

    public static RenderBatchSummary Read(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < TrailerSize)
        {
            throw new FormatException($"A render batch has at least {TrailerSize} bytes; this one has {batch.Length}.");
        }
        var trailer = batch[^TrailerSize..];
        var updatedComponents = Int(trailer, 0);
        var referenceFrames = Int(trailer, 4);
        var stringTable = Int(trailer, 16);

        var strings = ReadStrings(batch, stringTable, batch.Length - TrailerSize);
        var edits = new List<RenderBatchEdit>();
        var diffCount = Int(batch, updatedComponents);
        for (var i = 0; i < diffCount; i++)
        {
            var diff = Int(batch, updatedComponents + sizeof(int) * (i + 1));
            var componentId = Int(batch, diff);
            var editCount = Int(batch, diff + 4);
            for (var j = 0; j < editCount; j++)
            {
                var edit = diff + 8 + j * EditSize;
                edits.Add(new RenderBatchEdit(componentId, (RenderEditKind)Int(batch, edit), Int(batch, edit + 4), Int(batch, edit + 8)));
            }
        }
        return new RenderBatchSummary(strings, edits, Int(batch, referenceFrames));
    }

    private static string[] ReadStrings(ReadOnlySpan<byte> batch, int start, int end)
    {
        var strings = new string[(end - start) / sizeof(int)];
        for (var i = 0; i < strings.Length; i++)
        {
            var at = Int(batch, start + i * sizeof(int));
            var (length, prefix) = SevenBitLength(batch, at);
            strings[i] = Encoding.UTF8.GetString(batch.Slice(at + prefix, length));
        }
        return strings;
    }

    /// <summary>The length prefix .NET's BinaryWriter writes before a string: seven bits a byte, low bits first.</summary>
    private static (int Length, int Bytes) SevenBitLength(ReadOnlySpan<byte> batch, int at)
    {
        var length = 0;
        for (var i = 0; i < 5; i++)
        {
            var part = batch[at + i];
            length |= (part & 0x7F) << (7 * i);
            if (part < 0x80)
            {
                return (length, i + 1);
            }
        }
        throw new FormatException($"The string at {at} has no valid length.");
    }

    private static int Int(ReadOnlySpan<byte> batch, int at) => BinaryPrimitives.ReadInt32LittleEndian(batch.Slice(at, sizeof(int)));
}
