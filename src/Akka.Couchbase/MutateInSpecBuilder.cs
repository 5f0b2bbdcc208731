namespace Akka.Couchbase;

/// <summary>
/// Builds the specs of a mutate-in in the order they are added:
/// <c>client.MutateInAsync("user::1", specs => specs.Upsert("address.city", "Oslo", createPath: true).ArrayAppend("tags", "x").Increment("logins"))</c>.
/// See <see cref="MutateInSpec"/> for how values become JSON.
/// </summary>
public sealed class MutateInSpecBuilder
{
    private readonly List<MutateInSpec> _specs = new(4);

    /// <summary>Adds the dictionary entry <paramref name="path"/> (PathExists if it is there).</summary>
    public MutateInSpecBuilder Insert(string path, object? value, bool createPath = false, bool xattr = false) =>
        Add(MutateInSpec.Insert(path, value, createPath, xattr));

    /// <summary>Adds or replaces the dictionary entry <paramref name="path"/>.</summary>
    public MutateInSpecBuilder Upsert(string path, object? value, bool createPath = false, bool xattr = false) =>
        Add(MutateInSpec.Upsert(path, value, createPath, xattr));

    /// <summary>Replaces the value at <paramref name="path"/> (PathNotFound if it is not there).</summary>
    public MutateInSpecBuilder Replace(string path, object? value, bool xattr = false) =>
        Add(MutateInSpec.Replace(path, value, xattr));

    /// <summary>Removes the value at <paramref name="path"/>.</summary>
    public MutateInSpecBuilder Remove(string path, bool xattr = false) => Add(MutateInSpec.Remove(path, xattr));

    /// <summary>Appends <paramref name="value"/> to the array at <paramref name="path"/>.</summary>
    public MutateInSpecBuilder ArrayAppend(string path, object? value, bool createPath = false, bool xattr = false) =>
        Add(MutateInSpec.ArrayAppend(path, value, createPath, xattr));

    /// <summary>Appends each of <paramref name="values"/> to the array at <paramref name="path"/>.</summary>
    public MutateInSpecBuilder ArrayAppend<T>(string path, IReadOnlyList<T> values, bool createPath = false, bool xattr = false) =>
        Add(MutateInSpec.ArrayAppend(path, values, createPath, xattr));

    /// <summary>Prepends <paramref name="value"/> to the array at <paramref name="path"/>.</summary>
    public MutateInSpecBuilder ArrayPrepend(string path, object? value, bool createPath = false, bool xattr = false) =>
        Add(MutateInSpec.ArrayPrepend(path, value, createPath, xattr));

    /// <summary>Prepends <paramref name="values"/> to the array at <paramref name="path"/>.</summary>
    public MutateInSpecBuilder ArrayPrepend<T>(string path, IReadOnlyList<T> values, bool createPath = false, bool xattr = false) =>
        Add(MutateInSpec.ArrayPrepend(path, values, createPath, xattr));

    /// <summary>Inserts <paramref name="value"/> at the index <paramref name="path"/> ends with.</summary>
    public MutateInSpecBuilder ArrayInsert(string path, object? value, bool xattr = false) =>
        Add(MutateInSpec.ArrayInsert(path, value, xattr));

    /// <summary>Inserts <paramref name="values"/> at the index <paramref name="path"/> ends with.</summary>
    public MutateInSpecBuilder ArrayInsert<T>(string path, IReadOnlyList<T> values, bool xattr = false) =>
        Add(MutateInSpec.ArrayInsert(path, values, xattr));

    /// <summary>Adds the primitive <paramref name="value"/> to the array at <paramref name="path"/> unless it is there.</summary>
    public MutateInSpecBuilder ArrayAddUnique(string path, object? value, bool createPath = false, bool xattr = false) =>
        Add(MutateInSpec.ArrayAddUnique(path, value, createPath, xattr));

    /// <summary>Adds <paramref name="delta"/> to the integer at <paramref name="path"/>.</summary>
    public MutateInSpecBuilder Increment(string path, long delta = 1, bool createPath = false, bool xattr = false) =>
        Add(MutateInSpec.Increment(path, delta, createPath, xattr));

    /// <summary>Subtracts <paramref name="delta"/> from the integer at <paramref name="path"/>.</summary>
    public MutateInSpecBuilder Decrement(string path, long delta = 1, bool createPath = false, bool xattr = false) =>
        Add(MutateInSpec.Decrement(path, delta, createPath, xattr));

    /// <summary>Adds a spec made elsewhere.</summary>
    public MutateInSpecBuilder Add(MutateInSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _specs.Add(spec);
        return this;
    }

    /// <summary>The specs added so far, in order (a copy).</summary>
    public IReadOnlyList<MutateInSpec> Build() => _specs.ToArray();
}
