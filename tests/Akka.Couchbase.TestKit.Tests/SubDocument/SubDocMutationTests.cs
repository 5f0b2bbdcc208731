using System.Buffers.Binary;
using Akka.Couchbase.Protocol;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.SubDocument;

/// <summary>Single-path mutations (0xc7-0xcf) and their statuses, doc flags, CAS and expiry, over a real socket.</summary>
public sealed class SubDocMutationTests : SubDocTestBase
{
    [Fact]
    public async Task Dict_add_upsert_replace_and_delete_edit_the_document_and_answer_a_new_cas_and_seqno()
    {
        await using var c = await ClientAsync("user");
        var first = await StoreAsync(c, "user", """{"name":"hugo","games":{}}""");
        var add = await c.SingleAsync(SubDoc.DictAdd, "user", "games.revolution", "{\"rank\":\"Comandante\"}");
        Assert.Equal(KvStatus.Success, add.Status);
        Assert.True(add.Cas > first);
        Assert.Equal(16, add.ExtrasLength); // vBucket uuid and seqno (MUTATION_SEQNO)
        Assert.Equal(0, add.ValueLength);
        Assert.Equal(SubDoc.PathExists, (await c.SingleAsync(SubDoc.DictAdd, "user", "name", "\"x\"")).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.DictUpsert, "user", "name", "\"che\"")).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.DictUpsert, "user", "age", "42")).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.Replace, "user", "games.revolution.rank", "\"General\"")).Status);
        Assert.Equal(SubDoc.PathNotFound, (await c.SingleAsync(SubDoc.Replace, "user", "nope", "1")).Status);
        var delete = await c.SingleAsync(SubDoc.Delete, "user", "age");
        Assert.Equal(KvStatus.Success, delete.Status);
        Assert.Equal(SubDoc.PathNotFound, (await c.SingleAsync(SubDoc.Delete, "user", "age")).Status);
        Assert.Equal("""{"name":"che","games":{"revolution":{"rank":"General"}}}""", await BodyAsync(c, "user"));
        var get = await c.GetAsync("user");
        Assert.Equal(delete.Cas, get.Cas);
        Assert.Equal(DataType.Json, get.DataType);
    }

    [Fact]
    public async Task Missing_parents_need_mkdir_p_which_creates_dictionaries_only()
    {
        await using var c = await ClientAsync("doc");
        await StoreAsync(c, "doc", """{"list":[]}""");
        Assert.Equal(SubDoc.PathNotFound, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "a.b.c", "1")).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "a.b.c", "1", SubDoc.MkdirP)).Status);
        Assert.Equal(SubDoc.PathNotFound, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "list[0].x", "1", SubDoc.MkdirP)).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.ArrayPushLast, "doc", "x.arr", "1,2", SubDoc.MkdirP)).Status);
        Assert.Equal("""{"list":[],"a":{"b":{"c":1}},"x":{"arr":[1,2]}}""", await BodyAsync(c, "doc"));
    }

    [Fact]
    public async Task Dictionary_commands_refuse_array_indexes_roots_and_bad_values()
    {
        await using var c = await ClientAsync("doc");
        await StoreAsync(c, "doc", """{"list":[1,2],"s":"text"}""");
        Assert.Equal(SubDoc.PathInvalid, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "list[0]", "1")).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.Replace, "doc", "list[-1]", "3")).Status);
        Assert.Equal(SubDoc.PathMismatch, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "s.x", "1")).Status);
        Assert.Equal(SubDoc.ValueCantInsert, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "v", "1,2")).Status);
        Assert.Equal(SubDoc.ValueCantInsert, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "v", "{oops")).Status);
        Assert.Equal(KvStatus.InvalidArguments, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "", "1")).Status);
        Assert.Equal(KvStatus.InvalidArguments, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "v")).Status);
        // a value may be as deep as the levels left under the path: 32 in all
        var deep31 = new string('[', 30) + "1" + new string(']', 30);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "v", deep31)).Status);
        Assert.Equal(SubDoc.ValueTooDeep, (await c.SingleAsync(SubDoc.DictUpsert, "doc", "v", "[" + deep31 + "]")).Status);
        Assert.StartsWith("""{"list":[1,3],"s":"text","v":[[""", await BodyAsync(c, "doc"));
    }

    [Fact]
    public async Task Array_push_first_last_insert_and_add_unique()
    {
        await using var c = await ClientAsync("arr");
        await StoreAsync(c, "arr", """{"a":[2,3],"e":[],"o":{},"mixed":[1,{"x":1}],"s":["x"]}""");
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.ArrayPushLast, "arr", "a", "4,5")).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.ArrayPushFirst, "arr", "a", "0,1")).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.ArrayPushFirst, "arr", "e", "\"only\"")).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.ArrayInsert, "arr", "a[3]", "2.5")).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.ArrayInsert, "arr", "a[7]", "6")).Status); // at the end
        Assert.Equal(SubDoc.PathNotFound, (await c.SingleAsync(SubDoc.ArrayInsert, "arr", "a[9]", "9")).Status);
        Assert.Equal(SubDoc.PathInvalid, (await c.SingleAsync(SubDoc.ArrayInsert, "arr", "a[-1]", "9")).Status);
        Assert.Equal(SubDoc.PathInvalid, (await c.SingleAsync(SubDoc.ArrayInsert, "arr", "a", "9")).Status);
        Assert.Equal(KvStatus.InvalidArguments, (await c.SingleAsync(SubDoc.ArrayInsert, "arr", "a[0]", "9", SubDoc.MkdirP)).Status);
        Assert.Equal(SubDoc.PathMismatch, (await c.SingleAsync(SubDoc.ArrayPushLast, "arr", "o", "1")).Status);
        Assert.Equal(SubDoc.PathMismatch, (await c.SingleAsync(SubDoc.ArrayPushFirst, "arr", "o", "1")).Status);
        Assert.Equal(SubDoc.PathNotFound, (await c.SingleAsync(SubDoc.ArrayPushLast, "arr", "none", "1")).Status);
        Assert.Equal(SubDoc.PathMismatch, (await c.SingleAsync(SubDoc.ArrayPushLast, "arr", "", "1")).Status); // the root is an object
        // add-unique compares primitives as text, refuses containers and finds non-primitives in the way
        Assert.Equal(SubDoc.PathExists, (await c.SingleAsync(SubDoc.ArrayAddUnique, "arr", "s", "\"x\"")).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.ArrayAddUnique, "arr", "s", "\"y\"")).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.ArrayAddUnique, "arr", "s", "1")).Status);
        Assert.Equal(SubDoc.ValueCantInsert, (await c.SingleAsync(SubDoc.ArrayAddUnique, "arr", "s", "[1]")).Status);
        Assert.Equal(SubDoc.ValueCantInsert, (await c.SingleAsync(SubDoc.ArrayAddUnique, "arr", "s", "1,2")).Status);
        Assert.Equal(SubDoc.PathExists, (await c.SingleAsync(SubDoc.ArrayAddUnique, "arr", "mixed", "1")).Status);
        Assert.Equal(SubDoc.PathMismatch, (await c.SingleAsync(SubDoc.ArrayAddUnique, "arr", "mixed", "2")).Status);
        Assert.Equal("""{"a":[0,1,2,2.5,3,4,5,6],"e":["only"],"o":{},"mixed":[1,{"x":1}],"s":["x","y",1]}""", await BodyAsync(c, "arr"));
    }

    [Fact]
    public async Task Pushing_onto_a_root_array_needs_an_empty_path()
    {
        await using var c = await ClientAsync("list");
        await StoreAsync(c, "list", "[1]");
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.ArrayPushLast, "list", "", "2")).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.ArrayPushFirst, "list", "", "0")).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.ArrayAddUnique, "list", "", "3")).Status);
        Assert.Equal("[0,1,2,3]", await BodyAsync(c, "list"));
    }

    [Fact]
    public async Task Counter_adds_a_signed_delta_creates_missing_numbers_and_refuses_what_int64_cannot_hold()
    {
        await using var c = await ClientAsync("counts");
        await StoreAsync(c, "counts", """{"n":10,"f":1.5,"s":"x","big":99999999999999999999,"max":9223372036854775800,"list":[1]}""");
        var inc = await c.SingleAsync(SubDoc.Counter, "counts", "n", "5");
        Assert.Equal(KvStatus.Success, inc.Status);
        Assert.Equal("15", Value(inc));
        Assert.Equal(DataType.Json, inc.DataType);
        Assert.Equal("-5", Value(await c.SingleAsync(SubDoc.Counter, "counts", "n", "-20")));
        Assert.Equal("7", Value(await c.SingleAsync(SubDoc.Counter, "counts", "fresh", "7")));
        Assert.Equal("1", Value(await c.SingleAsync(SubDoc.Counter, "counts", "a.b", "1", SubDoc.MkdirP)));
        Assert.Equal(SubDoc.PathNotFound, (await c.SingleAsync(SubDoc.Counter, "counts", "x.y", "1")).Status);
        Assert.Equal(SubDoc.PathNotFound, (await c.SingleAsync(SubDoc.Counter, "counts", "list[3]", "1")).Status);
        Assert.Equal(SubDoc.PathMismatch, (await c.SingleAsync(SubDoc.Counter, "counts", "f", "1")).Status);
        Assert.Equal(SubDoc.PathMismatch, (await c.SingleAsync(SubDoc.Counter, "counts", "s", "1")).Status);
        Assert.Equal(SubDoc.NumberTooBig, (await c.SingleAsync(SubDoc.Counter, "counts", "big", "1")).Status);
        // overflow: kv_engine maps subjson's DELTA_OVERFLOW to VALUE_CANTINSERT
        Assert.Equal(SubDoc.ValueCantInsert, (await c.SingleAsync(SubDoc.Counter, "counts", "max", "8")).Status);
        foreach (var bad in new[] { "0", "01", "1.5", "+1", "x", "-", "99999999999999999999" })
            Assert.Equal(SubDoc.DeltaInvalid, (await c.SingleAsync(SubDoc.Counter, "counts", "n", bad)).Status);
        Assert.Equal("""{"n":-5,"f":1.5,"s":"x","big":99999999999999999999,"max":9223372036854775800,"list":[1],"fresh":7,"a":{"b":1}}""",
            await BodyAsync(c, "counts"));
    }

    [Fact]
    public async Task Doc_flags_choose_replace_upsert_or_insert_semantics()
    {
        await using var c = await ClientAsync("new-doc");
        Assert.Equal(KvStatus.KeyNotFound, (await c.SingleAsync(SubDoc.DictUpsert, "new-doc", "a", "1")).Status);
        var created = await c.SingleAsync(SubDoc.DictUpsert, "new-doc", "a.b", "1", docFlags: SubDoc.Mkdoc); // Mkdoc implies mkdir_p
        Assert.Equal(KvStatus.Success, created.Status);
        Assert.Equal("""{"a":{"b":1}}""", await BodyAsync(c, "new-doc"));
        Assert.Equal(KvStatus.KeyExists, (await c.SingleAsync(SubDoc.DictUpsert, "new-doc", "c", "1", docFlags: SubDoc.Add)).Status);
        Assert.Equal(KvStatus.InvalidArguments, (await c.SingleAsync(SubDoc.DictUpsert, "new-doc", "c", "1", docFlags: SubDoc.Add | SubDoc.Mkdoc)).Status);
        Assert.Equal(KvStatus.InvalidArguments, (await c.SingleAsync(SubDoc.DictUpsert, "new-doc", "c", "1", docFlags: SubDoc.Add, cas: created.Cas)).Status);
        await using var d = await ClientAsync("arr-doc");
        Assert.Equal(KvStatus.Success, (await d.SingleAsync(SubDoc.ArrayPushLast, "arr-doc", "", "1", docFlags: SubDoc.Add)).Status);
        Assert.Equal("[1]", await BodyAsync(d, "arr-doc"));
        await using var e = await ClientAsync("idx-doc");
        Assert.Equal(KvStatus.Success, (await e.SingleAsync(SubDoc.ArrayPushLast, "idx-doc", "list", "1", docFlags: SubDoc.Mkdoc)).Status);
        Assert.Equal("""{"list":[1]}""", await BodyAsync(e, "idx-doc"));
    }

    [Fact]
    public async Task Mutations_check_the_cas_honour_locks_and_set_or_clear_the_expiry()
    {
        await using var c = await ClientAsync("ttl");
        var cas = (await c.SetAsync("ttl", """{"a":1}""", expiry: 3600)).Cas;
        Assert.Equal(KvStatus.KeyExists, (await c.SingleAsync(SubDoc.DictUpsert, "ttl", "b", "2", cas: cas + 1)).Status);
        var withTtl = await c.SingleAsync(SubDoc.DictUpsert, "ttl", "b", "2", expiry: 600, cas: cas);
        Assert.Equal(KvStatus.Success, withTtl.Status);
        var stored = Default.Get("ttl")!;
        Assert.NotNull(stored.Expiry);
        Assert.InRange(stored.Expiry!.Value.ToUnixTimeSeconds() - Cluster.Clock.UtcNow.ToUnixTimeSeconds(), 590, 600);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.DictUpsert, "ttl", "c", "3")).Status);
        Assert.Null(Default.Get("ttl")!.Expiry); // a mutation without an expiry clears it, as on the server
        var locked = await c.Raw.CallAsync(Opcode.GetLocked, SubDocClient.BigEndian(10), "ttl", vBucket: Vb("ttl"));
        Assert.Equal(KvStatus.Success, locked.Status);
        Assert.Equal(KvStatus.Locked, (await c.SingleAsync(SubDoc.DictUpsert, "ttl", "d", "4")).Status);
        var read = await c.SingleAsync(SubDoc.Get, "ttl", "a");
        Assert.Equal(KvStatus.Success, read.Status); // lookups are not blocked by a lock
        Assert.Equal(ulong.MaxValue, read.Cas);
        var unlocking = await c.SingleAsync(SubDoc.DictUpsert, "ttl", "d", "4", cas: locked.Cas);
        Assert.Equal(KvStatus.Success, unlocking.Status);
        Assert.False(Default.Get("ttl")!.IsLocked);
    }

    [Fact]
    public async Task Seqno_extras_name_the_vbucket_uuid_and_the_mutation_seqno()
    {
        await using var c = await ClientAsync("seq");
        var set = await c.SetAsync("seq", "{}");
        var m = await c.SingleAsync(SubDoc.DictUpsert, "seq", "a", "1");
        Assert.Equal(BinaryPrimitives.ReadUInt64BigEndian(set.Extras), BinaryPrimitives.ReadUInt64BigEndian(m.Extras));
        Assert.Equal(BinaryPrimitives.ReadUInt64BigEndian(set.Extras.Slice(8)) + 1, BinaryPrimitives.ReadUInt64BigEndian(m.Extras.Slice(8)));
    }
}
