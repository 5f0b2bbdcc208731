using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.Observability;

/// <summary>
/// The <c>db.operation.name</c> of each opcode, as the Couchbase SDKs name operations (<c>upsert</c> for SET,
/// <c>insert</c> for ADD, <c>lookup_in</c> for a multi-path lookup...): one string per opcode, made once.
/// </summary>
internal static class OperationNames
{
    private static readonly string[] Names = Build();

    /// <summary>The name of <paramref name="opcode"/>.</summary>
    public static string Of(Opcode opcode) => Names[(byte)opcode];

    private static string[] Build()
    {
        var names = new string[256];
        for (var i = 0; i < names.Length; i++)
            names[i] = Enum.IsDefined(typeof(Opcode), (byte)i) ? SnakeCase(((Opcode)i).ToString()) : $"opcode_0x{i:x2}";
        names[(byte)Opcode.Set] = "upsert";
        names[(byte)Opcode.Add] = "insert";
        names[(byte)Opcode.Delete] = "remove";
        names[(byte)Opcode.GetLocked] = "get_and_lock";
        names[(byte)Opcode.UnlockKey] = "unlock";
        names[(byte)Opcode.SubdocMultiLookup] = "lookup_in";
        names[(byte)Opcode.SubdocMultiMutation] = "mutate_in";
        names[(byte)Opcode.Stat] = "stats";
        return names;
    }

    /// <summary><c>GetAndTouch</c> → <c>get_and_touch</c>.</summary>
    internal static string SnakeCase(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
