using Akka.Couchbase.Protocol;
using Xunit;
using static Akka.Couchbase.Tests.SubDocument.SubDocumentFixtures;

namespace Akka.Couchbase.Tests.SubDocument;

/// <summary>
/// Lookup-in and mutate-in go on the wire as kv_engine <c>docs/SubDocument.md</c> lays out SUBDOC_MULTI_LOOKUP and
/// SUBDOC_MULTI_MUTATION (its worked examples: key <c>u:1234</c>), with the extras and framing extras of
/// <c>docs/BinaryProtocol.md</c>. Every expectation is written out byte by byte.
/// </summary>
public class SubDocumentEncodingSpec
{
    [Fact]
    public void Multi_lookup_of_the_documents_example_is_encoded_byte_for_byte()
    {
        var wire = Wire(new Kv.LookupIn("u:1234", [
            LookupInSpec.Get("from"), LookupInSpec.Get("to"), LookupInSpec.Exists("bcc"), LookupInSpec.Get("subject"),
            LookupInSpec.Exists("body"),
        ]), opaque: 0xfee5, vBucket: 668);

        // The document's example sends a one-byte doc-flags extra of 0; a zero field is left out (extras 0 or 1 are both valid).
        var expected = Hex(
            "80 d0 0006 00 00 029c 0000002e 0000fee5 0000000000000000" +
            "753a31323334" + // u:1234
            "c5 00 0004" + "66726f6d" + // GET from
            "c5 00 0002" + "746f" + // GET to
            "c6 00 0003" + "626363" + // EXISTS bcc
            "c5 00 0007" + "7375626a656374" + // GET subject
            "c6 00 0004" + "626f6479"); // EXISTS body
        Assert.Equal(expected, wire);
    }

    [Fact]
    public void Access_deleted_is_the_one_byte_doc_flags_extra_of_a_lookup()
    {
        var wire = Wire(new Kv.LookupIn("k", [LookupInSpec.Get("_sync", xattr: true)]) { AccessDeleted = true });

        Assert.Equal(Hex("80 d0 0001 01 00 0000 0000000b 00000007 0000000000000000 04 6b c5 04 0005 5f73796e63"), wire);
    }

    [Fact]
    public void Whole_document_get_is_opcode_0x00_with_an_empty_path_and_count_may_name_the_top_level()
    {
        var wire = Wire(new Kv.LookupIn("k", [LookupInSpec.GetDocument(), LookupInSpec.Count("")]));

        Assert.Equal(Hex("80 d0 0001 00 00 0000 00000009 00000007 0000000000000000 6b 00 00 0000 d2 00 0000"), wire);
    }

    [Fact]
    public void Multi_mutation_of_the_documents_example_is_encoded_byte_for_byte()
    {
        var wire = Wire(new Kv.MutateIn("u:1234", [
            MutateInSpec.ArrayAddUnique("login_locations", "192.168.3.4", createPath: true),
            MutateInSpec.Increment("login_count", 1, createPath: true),
            MutateInSpec.Upsert("state", "logged_in", createPath: true),
            MutateInSpec.Remove("queue"),
        ]), opaque: 0xfee5, vBucket: 668);

        var expected = Hex(
            "80 d1 0006 00 00 029c 00000063 0000fee5 0000000000000000" +
            "753a31323334" +
            "ce 01 000f 0000000d" + "6c6f67696e5f6c6f636174696f6e73" + "223139322e3136382e332e3422" + // "192.168.3.4"
            "cf 01 000b 00000001" + "6c6f67696e5f636f756e74" + "31" + // 1
            "c8 01 0005 0000000b" + "7374617465" + "226c6f676765645f696e22" + // "logged_in"
            "c9 00 0005 00000000" + "7175657565");
        Assert.Equal(expected, wire);
    }

    [Fact]
    public void Cas_expiry_and_upsert_semantics_go_in_the_header_and_a_five_byte_extras()
    {
        var wire = Wire(new Kv.MutateIn("k", [MutateInSpec.Replace("a", 1)])
        {
            Cas = 0xdeadbeef, Expiry = TimeSpan.FromSeconds(10), StoreSemantics = StoreSemantics.Upsert,
        });

        Assert.Equal(Hex("80 d1 0001 05 00 0000 00000010 00000007 00000000deadbeef 0000000a 01 6b ca 00 0001 00000001 61 31"), wire);
    }

    [Fact]
    public void Insert_semantics_on_a_deleted_document_set_add_and_access_deleted()
    {
        var wire = Wire(new Kv.MutateIn("k", [MutateInSpec.Upsert("a", true)])
        {
            StoreSemantics = StoreSemantics.Insert, AccessDeleted = true,
        });

        Assert.Equal(Hex("80 d1 0001 01 00 0000 0000000f 00000007 0000000000000000 06 6b c8 00 0001 00000004 61 74727565"), wire);
    }

    [Fact]
    public void Preserve_expiry_is_the_preserve_ttl_frame_info_in_an_alt_request()
    {
        var wire = Wire(new Kv.MutateIn("k", [MutateInSpec.Upsert("a", 1)]) { PreserveExpiry = true, Expiry = TimeSpan.FromSeconds(5) });

        // Magic 0x08: byte 2 is the framing extras' length (1), byte 3 the key's; frame info id 5, length 0.
        Assert.Equal(Hex("08 d1 01 01 04 00 0000 00000010 00000007 0000000000000000 50 00000005 6b c8 00 0001 00000001 61 31"), wire);
    }

    [Fact]
    public void Xattr_specs_go_first_on_the_wire_each_group_in_the_commands_order()
    {
        var wire = Wire(new Kv.MutateIn("k", [
            MutateInSpec.Upsert("a", 1),
            MutateInSpec.Upsert("_meta.x", 2, createPath: true, xattr: true),
            MutateInSpec.Remove("b"),
            MutateInSpec.Remove("_meta.y", xattr: true),
        ]));

        var specs = Hex(
            "c8 05 0007 00000001" + "5f6d6574612e78" + "32" + // xattr + create path
            "c9 04 0007 00000000" + "5f6d6574612e79" +
            "c8 00 0001 00000001" + "61" + "31" +
            "c9 00 0001 00000000" + "62");
        Assert.Equal(specs, wire.AsSpan(24 + 1).ToArray());
    }

    [Fact]
    public void Values_become_json_strings_bytes_as_they_are_and_objects_through_the_transcoder()
    {
        var wire = Wire(new Kv.MutateIn("k", [
            MutateInSpec.Upsert("s", "x\"y"),
            MutateInSpec.Upsert("raw", Utf8("{\"n\":1}")),
            MutateInSpec.Upsert("o", new { n = 2 }),
            MutateInSpec.Upsert("z", null),
        ]));

        var specs = Hex(
            "c8 00 0001 00000006" + "73" + "22785c227922" + // "x\"y"
            "c8 00 0003 00000007" + "726177" + "7b226e223a317d" + // {"n":1}
            "c8 00 0001 00000007" + "6f" + "7b226e223a327d" + // {"n":2}
            "c8 00 0001 00000004" + "7a" + "6e756c6c"); // null
        Assert.Equal(specs, wire.AsSpan(24 + 1).ToArray());
    }

    [Fact]
    public void Several_array_values_are_one_comma_separated_value()
    {
        var wire = Wire(new Kv.MutateIn("k", [
            MutateInSpec.ArrayAppend("t", new[] { 1, 2, 3 }),
            MutateInSpec.ArrayPrepend("u", new List<string> { "a", "b" }),
            MutateInSpec.ArrayInsert("v[0]", new[] { 9 }),
        ]));

        var specs = Hex(
            "cb 00 0001 00000005" + "74" + "312c322c33" + // 1,2,3
            "cc 00 0001 00000007" + "75" + "2261222c226222" + // "a","b"
            "cd 00 0004 00000001" + "765b305d" + "39");
        Assert.Equal(specs, wire.AsSpan(24 + 1).ToArray());
    }

    [Fact]
    public void A_decrement_sends_the_negative_delta_and_an_empty_path_array_append_targets_the_document()
    {
        var wire = Wire(new Kv.MutateIn("k", [MutateInSpec.Decrement("n", 5), MutateInSpec.ArrayAppend("", "x")]));

        var specs = Hex("cf 00 0001 00000002" + "6e" + "2d35" + "cb 00 0000 00000003" + "227822");
        Assert.Equal(specs, wire.AsSpan(24 + 1).ToArray());
    }

    [Fact]
    public void Backtick_escapes_and_array_indexes_are_sent_as_written()
    {
        var wire = Wire(new Kv.LookupIn("k", [LookupInSpec.Get("`dot.ted`.x[-1]")]));

        Assert.Equal(Utf8("`dot.ted`.x[-1]"), wire.AsSpan(24 + 1 + 4).ToArray());
        Assert.Equal(Opcode.SubdocMultiLookup, (Opcode)wire[1]);
    }
}
