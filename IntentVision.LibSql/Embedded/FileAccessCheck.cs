using System.Runtime.InteropServices;

namespace IntentVision.LibSql.Embedded;

/// <summary>The operating system's own answer to "may this process write that file?" (Linux <c>access(2)</c>), without opening it.</summary>
internal static class FileAccessCheck
{
    private const int WriteOk = 2;

    public static bool CanWrite(string path) => Access(path, WriteOk) == 0;

    [DllImport("libc", EntryPoint = "access", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Access(string path, int mode);
}
