using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Akka.Couchbase.Protocol;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.SubDocument;

/// <summary>Extended attributes: stored beside the body, read and written with the xattr path flag, virtual xattrs, macros, tombstones.</summary>
public sealed class XattrTests : SubDocTestBase
{
    [Fact]
    public async Task Hello_acknowledges_xattr_and_without_it_xattr_paths_are_not_supported()
    {
        await using var c = await ClientAsync("doc");
        Assert.Contains((ushort)HelloFeature.Xattr, c.Acked);
        await using var plain = await ClientAsync("doc", xattr: false);
        Assert.DoesNotContain((ushort)HelloFeature.Xattr, plain.Acked);
        await StoreAsync(plain, "doc", "{}");
        Assert.Equal(KvStatus.NotSupported, (await plain.SingleAsync(SubDoc.Get, "doc", "meta", pathFlags: SubDoc.Xattr)).Status);
        Assert.Equal(KvStatus.NotSupported, (await plain.LookupAsync("doc", new Spec[] { new(SubDoc.Get, "$document", Flags: SubDoc.Xattr) })).Status);
        Assert.Equal(KvStatus.NotSupported, (await plain.SingleAsync(SubDoc.DictUpsert, "doc", "meta", "1", SubDoc.Xattr)).Status);
    }

    [Fact]
    public async Task User_and_system_xattrs_are_kept_beside_the_body_and_survive_a_set()
    {
        await using var c = await ClientAsync("doc");
        await StoreAsync(c, "doc", """{"body":1}""");
        var write = await c.MutateAsync("doc", new Spec[]
        {
            new(SubDoc.DictUpsert, "meta.owner", "\"ann\"", SubDoc.Xattr | SubDoc.MkdirP),
            new(SubDoc.DictUpsert, "_sync.rev", "7", SubDoc.Xattr | SubDoc.MkdirP),
            new(SubDoc.DictUpsert, "visible", "true"),
        });
        Assert.Equal(KvStatus.Success, write.Status);
        var get = await c.GetAsync("doc");
        Assert.Equal("""{"body":1,"visible":true}""", Value(get)); // a plain GET sees only the body
        Assert.Equal(DataType.Json, get.DataType);
        await StoreAsync(c, "doc", """{"replaced":true}""");
        var read = await c.LookupAsync("doc", new Spec[]
        {
            new(SubDoc.Get, "meta", Flags: SubDoc.Xattr), new(SubDoc.Get, "_sync.rev", Flags: SubDoc.Xattr),
            new(SubDoc.Exists, "nope", Flags: SubDoc.Xattr), new(SubDoc.Get, "replaced"),
        });
        Assert.Equal(new[]
        {
            (KvStatus.Success, """{"owner":"ann"}"""), (KvStatus.Success, "7"), (SubDoc.PathNotFound, ""), (KvStatus.Success, "true"),
        }, SubDocClient.LookupResults(read));
        var single = await c.SingleAsync(SubDoc.Get, "doc", "meta.owner", pathFlags: SubDoc.Xattr);
        Assert.Equal("\"ann\"", Value(single));
    }

    [Fact]
    public async Task Xattr_keys_follow_the_naming_rules_and_xattr_specs_come_first()
    {
        await using var c = await ClientAsync("doc");
        await StoreAsync(c, "doc", "{}");
        foreach (var bad in new[] { "#tag", "_", "$", "sixteen_bytes_ky", ".x", "[0]" })
            Assert.Equal(KvStatus.XattrInvalid, (await c.SingleAsync(SubDoc.DictUpsert, "doc", bad, "1", SubDoc.Xattr)).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "fifteen_bytes_k", "1", SubDoc.Xattr)).Status);
        var order = await c.MutateAsync("doc", new Spec[] { new(SubDoc.DictUpsert, "a", "1"), new(SubDoc.DictUpsert, "x", "1", SubDoc.Xattr) });
        Assert.Equal(SubDoc.InvalidXattrOrder, order.Status);
        Assert.Equal(SubDoc.XattrInvalidFlagCombo, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "a", "\"${Mutation.CAS}\"", SubDoc.ExpandMacros)).Status);
    }

    [Fact]
    public async Task The_document_virtual_xattr_describes_the_document()
    {
        await using var c = await ClientAsync("doc");
        var set = await c.Raw.CallAsync(Opcode.Set, Akka.Couchbase.TestKit.Tests.Support.RawKvClient.Extras(0x02000006, 3600), "doc",
            Encoding.UTF8.GetBytes("""{"a":1}"""), Vb("doc"), dataType: DataType.Json);
        var r = await c.LookupAsync("doc", new Spec[]
        {
            new(SubDoc.Get, "$document", Flags: SubDoc.Xattr), new(SubDoc.Get, "$document.exptime", Flags: SubDoc.Xattr),
            new(SubDoc.Get, "$document.nope", Flags: SubDoc.Xattr), new(SubDoc.Get, "$nothing", Flags: SubDoc.Xattr),
            new(SubDoc.Get, "$XTOC", Flags: SubDoc.Xattr), new(SubDoc.Get, "a"),
        });
        var results = SubDocClient.LookupResults(r);
        Assert.Equal(SubDoc.MultiPathFailure, r.Status);
        var document = JObject.Parse(results[0].Value);
        Assert.Equal("0x" + set.Cas.ToString("x16", CultureInfo.InvariantCulture), (string?)document["CAS"]);
        Assert.Equal(0x02000006L, (long)document["flags"]!);
        Assert.Equal(7L, (long)document["value_bytes"]!);
        Assert.False((bool)document["deleted"]!);
        Assert.Equal(new[] { "json" }, document["datatype"]!.Select(t => (string)t!));
        Assert.Equal((set.Cas / 1_000_000_000UL).ToString(CultureInfo.InvariantCulture), (string?)document["last_modified"]);
        Assert.Equal(Default.Get("doc")!.Expiry!.Value.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), results[1].Value);
        Assert.Equal(SubDoc.PathNotFound, results[2].Status);
        Assert.Equal(SubDoc.XattrUnknownVattr, results[3].Status);
        Assert.Equal((KvStatus.Success, "[]"), results[4]);
        Assert.Equal(SubDoc.XattrCantModifyVattr, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "$document.x", "1", SubDoc.Xattr)).Status);
    }

    [Fact]
    public async Task Macros_expand_to_the_mutations_own_cas_seqno_and_body_checksum()
    {
        await using var c = await ClientAsync("doc");
        await StoreAsync(c, "doc", "{}");
        var r = await c.MutateAsync("doc", new Spec[]
        {
            new(SubDoc.DictUpsert, "txn.cas", "\"${Mutation.CAS}\"", SubDoc.Xattr | SubDoc.MkdirP | SubDoc.ExpandMacros),
            new(SubDoc.DictUpsert, "txn.seq", "\"${Mutation.seqno}\"", SubDoc.Xattr | SubDoc.ExpandMacros),
            new(SubDoc.DictUpsert, "txn.crc", "\"${Mutation.value_crc32c}\"", SubDoc.Xattr | SubDoc.ExpandMacros),
            new(SubDoc.DictUpsert, "txn.before", "\"${$document.CAS}\"", SubDoc.Xattr | SubDoc.ExpandMacros),
            new(SubDoc.DictUpsert, "body", "\"123456789\""),
        });
        Assert.Equal(KvStatus.Success, r.Status);
        var seqno = BinaryPrimitives.ReadUInt64BigEndian(r.Extras.Slice(8));
        var txn = JObject.Parse(Value(await c.SingleAsync(SubDoc.Get, "doc", "txn", pathFlags: SubDoc.Xattr)));
        // ${Mutation.CAS} is the CAS in network byte order, printed as a 64-bit number
        Assert.Equal("0x" + BinaryPrimitives.ReverseEndianness(r.Cas).ToString("x16", CultureInfo.InvariantCulture), (string?)txn["cas"]);
        Assert.Equal("0x" + seqno.ToString("x16", CultureInfo.InvariantCulture), (string?)txn["seq"]);
        Assert.Equal("0x" + Crc32C("""{"body":"123456789"}""").ToString("x8", CultureInfo.InvariantCulture), (string?)txn["crc"]);
        Assert.NotEqual((string?)txn["before"], (string?)txn["cas"]);
        Assert.Equal(SubDoc.XattrUnknownMacro, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "m", "\"${Mutation.nope}\"", SubDoc.Xattr | SubDoc.ExpandMacros)).Status);
        Assert.Equal(SubDoc.XattrUnknownVattrMacro, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "m", "\"${$document.nope}\"", SubDoc.Xattr | SubDoc.ExpandMacros)).Status);
    }

    [Fact]
    public async Task A_delete_drops_the_user_xattrs_and_keeps_the_system_ones_in_a_tombstone()
    {
        await using var c = await ClientAsync("doc");
        await StoreAsync(c, "doc", """{"b":1}""");
        await c.MutateAsync("doc", new Spec[]
        {
            new(SubDoc.DictUpsert, "_txn", "{\"id\":1}", SubDoc.Xattr), new(SubDoc.DictUpsert, "user", "2", SubDoc.Xattr),
        });
        Assert.Equal(KvStatus.Success, (await c.DeleteAsync("doc")).Status);
        Assert.Equal(KvStatus.KeyNotFound, (await c.GetAsync("doc")).Status);
        Assert.Equal(KvStatus.KeyNotFound, (await c.SingleAsync(SubDoc.Get, "doc", "_txn", pathFlags: SubDoc.Xattr)).Status);
        var tomb = await c.LookupAsync("doc", new Spec[]
        {
            new(SubDoc.Get, "_txn", Flags: SubDoc.Xattr), new(SubDoc.Get, "user", Flags: SubDoc.Xattr),
            new(SubDoc.Get, "$document.deleted", Flags: SubDoc.Xattr),
        }, docFlags: SubDoc.AccessDeleted);
        Assert.Equal(SubDoc.MultiPathFailureDeleted, tomb.Status);
        Assert.Equal(new[] { (KvStatus.Success, "{\"id\":1}"), (SubDoc.PathNotFound, ""), (KvStatus.Success, "true") }, SubDocClient.LookupResults(tomb));
        // a tombstone takes xattr writes and stays deleted; a body is refused unless it is revived
        var onTomb = await c.SingleAsync(SubDoc.DictUpsert, "doc", "_txn.state", "\"done\"", SubDoc.Xattr, docFlags: SubDoc.AccessDeleted);
        Assert.Equal(SubDoc.SuccessDeleted, onTomb.Status);
        Assert.Equal(KvStatus.KeyNotFound, (await c.GetAsync("doc")).Status);
        await c.SingleAsync(SubDoc.DictUpsert, "doc", "_txn.staged", """{"back":true}""", SubDoc.Xattr, docFlags: SubDoc.AccessDeleted);
        var bodyOnTomb = new Spec[] { new(SubDoc.ReplaceBodyWithXattr, "_txn.staged", Flags: SubDoc.Xattr) };
        Assert.Equal(SubDoc.DeletedDocumentCantHaveValue, (await c.MutateAsync("doc", bodyOnTomb, docFlags: SubDoc.AccessDeleted)).Status);
        var revived = await c.MutateAsync("doc", bodyOnTomb, docFlags: SubDoc.AccessDeleted | SubDoc.ReviveDocument);
        Assert.Equal(KvStatus.Success, revived.Status);
        Assert.Equal("""{"back":true}""", await BodyAsync(c, "doc"));
        Assert.Equal("\"done\"", Value(await c.SingleAsync(SubDoc.Get, "doc", "_txn.state", pathFlags: SubDoc.Xattr)));
        Assert.Equal(SubDoc.CanOnlyReviveDeletedDocuments,
            (await c.MutateAsync("doc", new Spec[] { new(SubDoc.DictUpsert, "x", "1") }, docFlags: SubDoc.AccessDeleted | SubDoc.ReviveDocument)).Status);
    }

    [Fact]
    public async Task A_whole_document_delete_without_system_xattrs_removes_the_document_entirely()
    {
        await using var c = await ClientAsync("doc");
        await StoreAsync(c, "doc", """{"b":1}""");
        await c.SingleAsync(SubDoc.DictUpsert, "doc", "user", "1", SubDoc.Xattr);
        Assert.Equal(KvStatus.Success, (await c.MutateAsync("doc", new Spec[] { new(SubDoc.WholeDelete, "") })).Status);
        Assert.Equal(KvStatus.KeyNotFound, (await c.LookupAsync("doc", new Spec[] { new(SubDoc.Get, "user", Flags: SubDoc.Xattr) }, SubDoc.AccessDeleted)).Status);
        var created = await c.SingleAsync(SubDoc.DictUpsert, "doc", "_txn", "1", SubDoc.Xattr, docFlags: SubDoc.Add | SubDoc.CreateAsDeleted);
        Assert.Equal(SubDoc.SuccessDeleted, created.Status);
        Assert.Equal(KvStatus.KeyNotFound, (await c.GetAsync("doc")).Status);
        Assert.Equal(KvStatus.InvalidArguments, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "a", "1", docFlags: SubDoc.Add | SubDoc.CreateAsDeleted)).Status);
    }

    private static uint Crc32C(string text)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }
}
