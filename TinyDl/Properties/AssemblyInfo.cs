using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("TinyDl.Tests")]
[assembly: InternalsVisibleTo("TinyDl.Benchmarks")]
