namespace Akka.Couchbase;

/// <summary>
/// One change of a <see cref="Kv.MutateIn"/>: made by the static methods here (or a <see cref="MutateInSpecBuilder"/>).
/// Values become JSON: strings are JSON strings, <c>byte[]</c> and <see cref="ReadOnlyMemory{T}"/> of bytes are sent
/// as they are (JSON text you encoded), anything else goes through the client's transcoder, which must make JSON.
/// <c>createPath</c> creates missing parent dictionaries of the path. Paths use the syntax of
/// <see cref="LookupInSpec"/>.
/// </summary>
public sealed record MutateInSpec
{
    private MutateInSpec(MutateInOperation operation, string path, IReadOnlyList<object?> values, long delta,
        bool createPath, bool xattr)
    {
        Operation = operation;
        Path = path;
        Values = values;
        Delta = delta;
        CreatePath = createPath;
        Xattr = xattr;
    }

    /// <summary>What it changes.</summary>
    public MutateInOperation Operation { get; }

    /// <summary>The path.</summary>
    public string Path { get; }

    /// <summary>The values it writes: none for Remove and Counter, one for most, one or more for the array operations.</summary>
    public IReadOnlyList<object?> Values { get; }

    /// <summary>A counter's delta (negative to subtract); 0 for the other operations.</summary>
    public long Delta { get; }

    /// <summary>Missing parent dictionaries of the path are created.</summary>
    public bool CreatePath { get; }

    /// <summary>The path's first component names an extended attribute of the document (needs HELLO Xattr).</summary>
    public bool Xattr { get; }

    /// <summary>Adds the dictionary entry <paramref name="path"/>; the spec fails with PathExists if it is there.</summary>
    public static MutateInSpec Insert(string path, object? value, bool createPath = false, bool xattr = false) =>
        new(MutateInOperation.Insert, path, [value], 0, createPath, xattr);

    /// <summary>Adds or replaces the dictionary entry <paramref name="path"/>.</summary>
    public static MutateInSpec Upsert(string path, object? value, bool createPath = false, bool xattr = false) =>
        new(MutateInOperation.Upsert, path, [value], 0, createPath, xattr);

    /// <summary>Replaces the value at <paramref name="path"/>; the spec fails with PathNotFound if it is not there.</summary>
    public static MutateInSpec Replace(string path, object? value, bool xattr = false) =>
        new(MutateInOperation.Replace, path, [value], 0, false, xattr);

    /// <summary>Removes the value at <paramref name="path"/> (a dictionary entry or an array element).</summary>
    public static MutateInSpec Remove(string path, bool xattr = false) =>
        new(MutateInOperation.Remove, path, Array.Empty<object?>(), 0, false, xattr);

    /// <summary>Appends <paramref name="value"/> to the array at <paramref name="path"/> (empty: the document is the array).</summary>
    public static MutateInSpec ArrayAppend(string path, object? value, bool createPath = false, bool xattr = false) =>
        new(MutateInOperation.ArrayAppend, path, [value], 0, createPath, xattr);

    /// <summary>Appends each of <paramref name="values"/>, in order, to the array at <paramref name="path"/>.</summary>
    public static MutateInSpec ArrayAppend<T>(string path, IReadOnlyList<T> values, bool createPath = false, bool xattr = false) =>
        new(MutateInOperation.ArrayAppend, path, Box(values), 0, createPath, xattr);

    /// <summary>Prepends <paramref name="value"/> to the array at <paramref name="path"/>.</summary>
    public static MutateInSpec ArrayPrepend(string path, object? value, bool createPath = false, bool xattr = false) =>
        new(MutateInOperation.ArrayPrepend, path, [value], 0, createPath, xattr);

    /// <summary>Prepends <paramref name="values"/>, keeping their order, to the array at <paramref name="path"/>.</summary>
    public static MutateInSpec ArrayPrepend<T>(string path, IReadOnlyList<T> values, bool createPath = false, bool xattr = false) =>
        new(MutateInOperation.ArrayPrepend, path, Box(values), 0, createPath, xattr);

    /// <summary>Inserts <paramref name="value"/> at the index <paramref name="path"/> ends with (<c>tags[1]</c>; the array's length appends).</summary>
    public static MutateInSpec ArrayInsert(string path, object? value, bool xattr = false) =>
        new(MutateInOperation.ArrayInsert, path, [value], 0, false, xattr);

    /// <summary>Inserts <paramref name="values"/>, keeping their order, at the index <paramref name="path"/> ends with.</summary>
    public static MutateInSpec ArrayInsert<T>(string path, IReadOnlyList<T> values, bool xattr = false) =>
        new(MutateInOperation.ArrayInsert, path, Box(values), 0, false, xattr);

    /// <summary>Adds the JSON primitive <paramref name="value"/> to the array at <paramref name="path"/> unless it is there (PathExists).</summary>
    public static MutateInSpec ArrayAddUnique(string path, object? value, bool createPath = false, bool xattr = false) =>
        new(MutateInOperation.ArrayAddUnique, path, [value], 0, createPath, xattr);

    /// <summary>
    /// Adds <paramref name="delta"/> (not 0) to the integer at <paramref name="path"/>, which is created as
    /// <paramref name="delta"/> when absent; the new value is the spec's value (<see cref="MutateInResult.ContentAs{T}"/>).
    /// </summary>
    public static MutateInSpec Increment(string path, long delta = 1, bool createPath = false, bool xattr = false) =>
        new(MutateInOperation.Counter, path, Array.Empty<object?>(), delta, createPath, xattr);

    /// <summary>Subtracts <paramref name="delta"/> (not 0, at most <see cref="long.MaxValue"/>) from the integer at <paramref name="path"/>.</summary>
    public static MutateInSpec Decrement(string path, long delta = 1, bool createPath = false, bool xattr = false) =>
        new(MutateInOperation.Counter, path, Array.Empty<object?>(), delta == long.MinValue ? 0 : -delta, createPath, xattr);

    private static object?[] Box<T>(IReadOnlyList<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var boxed = new object?[values.Count];
        for (var i = 0; i < boxed.Length; i++) boxed[i] = values[i];
        return boxed;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Operation}({(Xattr ? "xattr " : "")}'{Path}'{(Operation == MutateInOperation.Counter ? $", {Delta}" : Values.Count > 0 ? $", {Values.Count} value(s)" : "")}{(CreatePath ? ", create path" : "")})";
}
