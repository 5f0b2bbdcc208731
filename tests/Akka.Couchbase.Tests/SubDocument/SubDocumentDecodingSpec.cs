using Akka.Actor;
using Akka.Couchbase.Protocol;
using Xunit;
using static Akka.Couchbase.Tests.SubDocument.SubDocumentFixtures;

namespace Akka.Couchbase.Tests.SubDocument;

/// <summary>
/// Replies to lookup-in and mutate-in, laid out as kv_engine <c>docs/SubDocument.md</c> shows them, become results:
/// one entry per spec with its own status, a mutation's failed spec named by its index in the command, and the
/// document-level statuses as the client's usual outcomes.
/// </summary>
public class SubDocumentDecodingSpec
{
    private static readonly Kv.LookupIn MailLookup = new("u:1234", [
        LookupInSpec.Get("from"), LookupInSpec.Get("to"), LookupInSpec.Get("cc"), LookupInSpec.Get("subject"),
        LookupInSpec.Exists("body"),
    ]);

    private static byte[] MailResults() =>
    [
        .. LookupResult(0x00, "\"mnunberg\""), .. LookupResult(0x00, "\"couchbase\""), .. LookupResult(0xc0),
        .. LookupResult(0x00, "\"Subdoc Commands\""), .. LookupResult(0x00),
    ];

    [Fact]
    public void The_documents_lookup_reply_gives_one_entry_per_spec_with_its_status()
    {
        var value = MailResults();
        Assert.Equal(68, value.Length); // the document's BODYLEN

        var result = Assert.IsType<LookupInResult>(Reply(MailLookup, KvStatus.SubdocMultiPathFailure, value, cas: 0xcafebabe));

        Assert.Equal(KvOutcome.Success, result.Outcome); // the document was read; spec 2 failed on its own
        Assert.Equal(0xcafebabeUL, result.Cas);
        Assert.Equal("mnunberg", result.ContentAs<string>(0));
        Assert.Equal("couchbase", result.ContentAs<string>(1));
        Assert.Equal(SubDocumentStatus.PathNotFound, result.Status(2));
        Assert.False(result.Exists(2));
        Assert.Equal("Subdoc Commands", result.ContentAs<string>(3));
        Assert.True(result.Exists(4));
        Assert.Equal(3, result.IndexOf("subject"));
        Assert.False(result.IsDeleted);
    }

    [Fact]
    public void Reading_a_failed_spec_or_an_exists_spec_as_a_value_says_why_there_is_none()
    {
        var result = (LookupInResult)Reply(MailLookup, KvStatus.SubdocMultiPathFailure, MailResults());

        var missing = Assert.Throws<InvalidOperationException>(() => result.ContentAs<string>(2));
        Assert.Contains("spec 2 ('cc')", missing.Message);
        Assert.Contains("PathNotFound", missing.Message);
        var exists = Assert.Throws<InvalidOperationException>(() => result.ContentAs<bool>(4));
        Assert.Contains("Exists(4)", exists.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => result.Status(5));
    }

    [Fact]
    public void Counts_and_whole_documents_are_read_as_json()
    {
        var lookup = new Kv.LookupIn("k", [LookupInSpec.Count("tags"), LookupInSpec.GetDocument()]);
        var result = (LookupInResult)Reply(lookup, KvStatus.Success,
            [.. LookupResult(0x00, "3"), .. LookupResult(0x00, "{\"tags\":[1,2,3]}")]);

        Assert.Equal(3, result.ContentAs<int>(0));
        Assert.Equal(new[] { 1, 2, 3 }, result.ContentAs<Dictionary<string, int[]>>(1)["tags"]);
    }

    [Fact]
    public void Lookup_entries_come_back_in_the_commands_order_when_xattrs_went_first()
    {
        var lookup = new Kv.LookupIn("k", [LookupInSpec.Get("name"), LookupInSpec.Get("_sync.rev", xattr: true)]);

        // On the wire the xattr spec was first, so its result is first.
        var result = (LookupInResult)Reply(lookup, KvStatus.Success,
            [.. LookupResult(0x00, "\"1-abc\""), .. LookupResult(0x00, "\"Ada\"")]);

        Assert.Equal("Ada", result.ContentAs<string>(0));
        Assert.Equal("1-abc", result.ContentAs<string>(1));
        Assert.Equal("_sync.rev", result.Entries[1].Path);
    }

    [Fact]
    public void A_deleted_document_read_with_access_deleted_says_so()
    {
        var lookup = new Kv.LookupIn("k", [LookupInSpec.Get("_sync", xattr: true)]) { AccessDeleted = true };

        var result = (LookupInResult)Reply(lookup, KvStatus.SubdocSuccessDeleted, LookupResult(0x00, "{}"));

        Assert.True(result.IsSuccess);
        Assert.True(result.IsDeleted);
    }

    [Fact]
    public void A_missing_document_is_the_outcome_not_found_with_no_entries()
    {
        var result = (LookupInResult)Reply(MailLookup, KvStatus.KeyNotFound, []);

        Assert.Equal(KvOutcome.NotFound, result.Outcome);
        Assert.Empty(result.Entries);
        Assert.Contains("NotFound", Assert.Throws<InvalidOperationException>(() => result.Exists(0)).Message);
    }

    [Fact]
    public void A_successful_mutation_carries_counter_values_its_cas_and_mutation_token()
    {
        var mutate = new Kv.MutateIn("u:1234", [
            MutateInSpec.ArrayAddUnique("login_locations", "192.168.3.4"), MutateInSpec.Increment("login_count"),
            MutateInSpec.Upsert("state", "logged_in"),
        ]);
        var token = Hex("0000000000000abc 0000000000000011"); // vBucket uuid, seqno

        var result = Assert.IsType<MutateInResult>(Reply(mutate, KvStatus.Success, MutationResult(1, 0x00, "42"),
            cas: 0xcafebabe, extras: token));

        Assert.Equal(KvOutcome.Success, result.Outcome);
        Assert.Equal(0xcafebabeUL, result.Cas);
        Assert.Equal(42L, result.ContentAs<long>(1));
        Assert.Equal(3, result.Entries.Count);
        Assert.All(result.Entries, e => Assert.Equal(SubDocumentStatus.Success, e.Status));
        Assert.Equal(0xabcUL, result.Token!.VBucketUuid);
        Assert.Equal(0x11UL, result.Token.SequenceNumber);
        Assert.Contains("only counters", Assert.Throws<InvalidOperationException>(() => result.ContentAs<string>(2)).Message);
        Assert.Null(result.FailedIndex);
    }

    [Fact]
    public void A_multi_path_failure_names_the_failed_spec_by_its_index_in_the_command()
    {
        var mutate = new Kv.MutateIn("u:1234", [
            MutateInSpec.ArrayAddUnique("login_locations", "192.168.3.4"), MutateInSpec.Increment("login_count"),
        ]);

        // The document's example: failed on the second mutation with PATH_MISMATCH.
        var result = (MutateInResult)Reply(mutate, KvStatus.SubdocMultiPathFailure, Hex("01 00c1"));

        Assert.Equal(KvOutcome.PathFailure, result.Outcome);
        Assert.False(result.IsSuccess);
        Assert.Equal(1, result.FailedIndex);
        Assert.Equal("login_count", result.FailedPath);
        Assert.Equal(SubDocumentStatus.PathMismatch, result.FailedStatus);
        Assert.Throws<InvalidOperationException>(() => result.ContentAs<long>(1));
    }

    [Fact]
    public void A_failed_xattr_spec_sent_first_is_named_by_its_index_in_the_command()
    {
        var mutate = new Kv.MutateIn("k", [MutateInSpec.Upsert("a", 1), MutateInSpec.Insert("_m", 1, xattr: true)]);

        var result = (MutateInResult)Reply(mutate, KvStatus.SubdocMultiPathFailure, Hex("00 00c9"));

        Assert.Equal(1, result.FailedIndex);
        Assert.Equal(SubDocumentStatus.PathExists, result.FailedStatus);
    }

    [Theory]
    [InlineData(KvStatus.KeyNotFound, StoreSemantics.Replace, 0UL, KvOutcome.NotFound)]
    [InlineData(KvStatus.KeyExists, StoreSemantics.Insert, 0UL, KvOutcome.Exists)]
    [InlineData(KvStatus.NotStored, StoreSemantics.Insert, 0UL, KvOutcome.Exists)]
    [InlineData(KvStatus.KeyExists, StoreSemantics.Replace, 0x99UL, KvOutcome.CasMismatch)]
    [InlineData(KvStatus.Locked, StoreSemantics.Upsert, 0UL, KvOutcome.Locked)]
    public void Document_level_statuses_are_the_usual_outcomes(KvStatus status, StoreSemantics semantics, ulong cas,
        KvOutcome expected)
    {
        var mutate = new Kv.MutateIn("k", [MutateInSpec.Upsert("a", 1)]) { StoreSemantics = semantics, Cas = cas };

        var result = Assert.IsType<MutateInResult>(Reply(mutate, status, []));

        Assert.Equal(expected, result.Outcome);
        Assert.Null(result.FailedIndex);
    }

    [Fact]
    public void A_combination_the_server_refuses_as_a_whole_is_an_invalid_argument()
    {
        var failure = Assert.IsType<Status.Failure>(Reply(MailLookup, KvStatus.SubdocInvalidCombination, []));

        var e = Assert.IsType<KvInvalidArgumentException>(failure.Cause);
        Assert.Contains("SubdocInvalidCombination (0xcb)", e.Message);
    }

    [Fact]
    public void A_truncated_lookup_reply_is_a_protocol_failure_not_a_guess()
    {
        var failure = Assert.IsType<Status.Failure>(Reply(MailLookup, KvStatus.Success, LookupResult(0x00, "1")));

        Assert.Contains("holds 1 results; 5 specs were sent", Assert.IsType<KvProtocolException>(failure.Cause).Message);
    }

    [Fact]
    public void A_mutation_failure_naming_a_spec_that_was_not_sent_is_a_protocol_failure()
    {
        var mutate = new Kv.MutateIn("k", [MutateInSpec.Upsert("a", 1)]);

        var failure = Assert.IsType<Status.Failure>(Reply(mutate, KvStatus.SubdocMultiPathFailure, Hex("05 00c0")));

        Assert.IsType<KvProtocolException>(failure.Cause);
    }
}
