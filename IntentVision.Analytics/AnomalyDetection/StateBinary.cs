using System.Runtime.InteropServices;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// Arrays in a detector snapshot: a length, then the elements' bytes as they lie in memory (little-endian on every
/// platform .NET runs on). A length that does not fit the destination means the snapshot belongs to other settings.
/// </summary>
internal static class StateBinary
{
    public static void WriteDoubles(this BinaryWriter writer, ReadOnlySpan<double> values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    public static void WriteInts(this BinaryWriter writer, ReadOnlySpan<int> values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    public static void WriteLongs(this BinaryWriter writer, ReadOnlySpan<long> values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    /// <summary>Reads an array written by <see cref="WriteDoubles"/> into the start of <paramref name="destination"/>; returns its length.</summary>
    public static int ReadDoubles(this BinaryReader reader, Span<double> destination) => ReadInto(reader, destination);

    public static int ReadInts(this BinaryReader reader, Span<int> destination) => ReadInto(reader, destination);

    public static int ReadLongs(this BinaryReader reader, Span<long> destination) => ReadInto(reader, destination);

    public static double[] ReadDoubleArray(this BinaryReader reader) => ReadArray<double>(reader);

    public static int[] ReadIntArray(this BinaryReader reader) => ReadArray<int>(reader);

    public static long[] ReadLongArray(this BinaryReader reader) => ReadArray<long>(reader);

    /// <summary>Fails when a snapshot's recorded value does not match what these settings produce.</summary>
    public static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidDataException($"detector snapshot does not fit these settings: {what}");
        }
    }

    private static int ReadInto<T>(BinaryReader reader, Span<T> destination)
        where T : unmanaged
    {
        var length = ReadLength(reader);
        Expect(length <= destination.Length, $"{length} values for room of {destination.Length}");
        Fill(reader, MemoryMarshal.AsBytes(destination[..length]));
        return length;
    }

    private static T[] ReadArray<T>(BinaryReader reader)
        where T : unmanaged
    {
        var array = new T[ReadLength(reader)];
        Fill(reader, MemoryMarshal.AsBytes(array.AsSpan()));
        return array;
    }

    private static int ReadLength(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        Expect(length >= 0 && length <= 1 << 26, $"array length {length}");
        return length;
    }

    private static void Fill(BinaryReader reader, Span<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            var read = reader.Read(bytes);
            if (read == 0)
            {
                throw new EndOfStreamException("detector snapshot ends early");
            }

            bytes = bytes[read..];
        }
    }
}
