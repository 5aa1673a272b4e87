// MSBuild inline task (compiled by RoslynCodeTaskFactory): marks one symbol-version requirement of
// an ELF64 little-endian shared library weak (VER_FLG_WEAK in its .gnu.version_r entry), so that the
// dynamic loader accepts the library where the system's libstdc++ lacks that version.
// Written against netstandard2.0, which RoslynCodeTaskFactory compiles with.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class TinyDlWeakenElfVersionNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        var systemLibrary = FindSystemLibStdCxx();
        if (systemLibrary is not null && ContainsVersion(systemLibrary, VersionName))
        {
            Log.LogMessage(MessageImportance.Low,
                $"TinyDl: {systemLibrary} provides {VersionName}; native shim left as shipped.");
            return true;
        }

        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var bytes = File.ReadAllBytes(path);
                var changed = Weaken(bytes, VersionName);
                if (changed)
                {
                    // Write beside and rename: never writes through a hard link into the NuGet cache.
                    var temp = path + ".tinydl-tmp";
                    File.WriteAllBytes(temp, bytes);
                    File.Delete(path);
                    File.Move(temp, path);
                    Log.LogMessage(MessageImportance.Normal,
                        $"TinyDl: marked {VersionName} weak in {path} (system libstdc++ lacks it).");
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Log.LogError($"TinyDl: cannot patch native shim {path}: {e.Message}");
            }
        }

        return !Log.HasLoggedErrors;
    }

    private static string FindSystemLibStdCxx()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool ContainsVersion(string library, string version)
    {
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        var haystack = File.ReadAllBytes(library);
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }

            if (j == needle.Length)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sets VER_FLG_WEAK on every vernaux entry named <paramref name="version"/>.</summary>
    /// <returns>True when a flag was changed.</returns>
    internal static bool Weaken(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");
        }

        var sectionHeaderOffset = (long)BitConverter.ToUInt64(elf, 0x28);
        int sectionHeaderSize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        var changed = false;

        for (var i = 0; i < sectionCount; i++)
        {
            var header = checked((int)(sectionHeaderOffset + (long)i * sectionHeaderSize));
            if (BitConverter.ToUInt32(elf, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            var offset = checked((int)BitConverter.ToUInt64(elf, header + 0x18));
            var linkedStrings = (int)BitConverter.ToUInt32(elf, header + 0x28);
            var entryCount = (int)BitConverter.ToUInt32(elf, header + 0x2C);
            var stringsHeader = checked((int)(sectionHeaderOffset + (long)linkedStrings * sectionHeaderSize));
            var stringsOffset = checked((int)BitConverter.ToUInt64(elf, stringsHeader + 0x18));

            var need = offset;
            for (var n = 0; n < entryCount; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, need + 2);
                var aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    var name = ReadString(elf, stringsOffset + (int)BitConverter.ToUInt32(elf, aux + 8));
                    var flags = BitConverter.ToUInt16(elf, aux + 4);
                    if (name == version && (flags & VerFlagWeak) == 0)
                    {
                        var weakened = (ushort)(flags | VerFlagWeak);
                        elf[aux + 4] = (byte)(weakened & 0xff);
                        elf[aux + 5] = (byte)(weakened >> 8);
                        changed = true;
                    }

                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }

                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }

        return changed;
    }

    private static string ReadString(byte[] elf, int start)
    {
        var end = Array.IndexOf(elf, (byte)0, start);
        return Encoding.ASCII.GetString(elf, start, end - start);
    }
}
