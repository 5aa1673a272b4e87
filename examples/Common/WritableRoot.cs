namespace TinyDl.Examples;

/// <summary>The check a sweep worker and <c>tinydl sweep</c> make before pointing runs at a run root.</summary>
public static class WritableRoot
{
    /// <summary>Creates <paramref name="root"/> when missing and writes and deletes a probe file in it.</summary>
    /// <param name="root">The run root.</param>
    /// <param name="advice">What to do instead, appended to the error.</param>
    /// <returns>The root's full path.</returns>
    /// <exception cref="IOException">The root cannot be created or written; the message names it and gives <paramref name="advice"/>.</exception>
    public static string Check(string root, string advice)
    {
        var full = Path.GetFullPath(root);
        var probe = Path.Combine(full, $".tinydl-write-test-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(full);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The run root '{full}' is not writable ({error.Message}){advice}", error);
        }

        return full;
    }
}
