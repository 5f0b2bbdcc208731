'use strict'
// Couchbase's own Node.js SDK doing sub-document work (lookupIn, mutateIn, xattrs, macros, get withExpiry) against
// the in-process TestKit cluster, in the _default collection. Each step checks what the SDK documents for a real
// server: a missing path is a per-spec error in lookupIn, a failing spec fails the whole mutateIn and changes
// nothing, exists() answers false instead of failing.
//
// Target cluster from the environment: CB_CONNSTR, CB_USERNAME, CB_PASSWORD, CB_BUCKET (CB_TRUST_STORE for
// couchbases://). Prints one JSON line per step; exits 1 on any mismatch.

const couchbase = require('couchbase')
const { LookupInSpec, MutateInSpec, MutateInMacro, LookupInMacro, StoreSemantics } = couchbase

let failures = 0

function report(step, ok, detail) {
  if (!ok) failures++
  process.stdout.write(JSON.stringify({ step, ok, ...detail }) + '\n')
}

async function step(name, fn) {
  try {
    report(name, true, (await fn()) || {})
  } catch (err) {
    report(name, false, { error: String(err && err.message ? err.message : err), type: err && err.constructor ? err.constructor.name : typeof err })
  }
}

async function expectError(fn, errorClass) {
  try {
    await fn()
  } catch (err) {
    if (err instanceof errorClass) return { got: err.constructor.name }
    throw new Error(`expected ${errorClass.name}, got ${err && err.constructor ? err.constructor.name : err}: ${err && err.message}`)
  }
  throw new Error(`expected ${errorClass.name}, got success`)
}

function assert(cond, message) {
  if (!cond) throw new Error(message)
}

async function main() {
  const connStr = process.env.CB_CONNSTR
  if (!connStr) throw new Error('CB_CONNSTR is not set')
  const options = {
    username: process.env.CB_USERNAME || 'Administrator',
    password: process.env.CB_PASSWORD || 'password',
    timeouts: { kvTimeout: 5000, connectTimeout: 10000, bootstrapTimeout: 15000 },
  }
  if (process.env.CB_TRUST_STORE) options.security = { trustStorePath: process.env.CB_TRUST_STORE }
  const cluster = await couchbase.connect(connStr, options)
  report('connect', true, {})
  const coll = cluster.bucket(process.env.CB_BUCKET || 'default').defaultCollection()
  const key = 'interop::subdoc'
  const fresh = async (k, doc) => {
    await coll.remove(k).catch(() => {})
    return coll.upsert(k, doc)
  }

  await step('subdoc-lookupIn-get-exists-count-xattr-and-a-missing-path', async () => {
    await fresh(key, { name: 'akka', tags: ['a', 'b'], nested: { x: 1 } })
    const written = await coll.mutateIn(key, [MutateInSpec.upsert('meta.owner', 'ann', { xattr: true, createPath: true })])
    const r = await coll.lookupIn(key, [
      LookupInSpec.get('name'),
      LookupInSpec.exists('nope'),
      LookupInSpec.exists('nested.x'),
      LookupInSpec.count('tags'),
      LookupInSpec.get('meta.owner', { xattr: true }),
      LookupInSpec.get('missing'),
      LookupInSpec.get('name.x'),
    ])
    assert(r.cas.toString() === written.cas.toString(), 'lookupIn cas should be the document cas')
    assert(r.content[0].value === 'akka' && !r.content[0].error, 'get name: ' + JSON.stringify(r.content[0]))
    assert(r.content[1].value === false, 'exists(nope) should be false: ' + JSON.stringify(r.content[1]))
    assert(r.content[2].value === true, 'exists(nested.x) should be true: ' + JSON.stringify(r.content[2]))
    assert(r.content[3].value === 2, 'count(tags) should be 2: ' + JSON.stringify(r.content[3]))
    assert(r.content[4].value === 'ann', 'xattr meta.owner should be ann: ' + JSON.stringify(r.content[4]))
    assert(r.content[5].error instanceof couchbase.PathNotFoundError, 'missing path should be PathNotFoundError, got ' + (r.content[5].error && r.content[5].error.constructor.name))
    assert(r.content[6].error instanceof couchbase.PathMismatchError, 'name.x should be PathMismatchError, got ' + (r.content[6].error && r.content[6].error.constructor.name))
    const plain = await coll.get(key)
    assert(plain.content.meta === undefined && plain.content.name === 'akka', 'a plain get must not show xattrs: ' + JSON.stringify(plain.content))
    return { specs: r.content.length }
  })

  await step('subdoc-mutateIn-upsert-insert-arrayAppend-increment-remove', async () => {
    const before = await coll.get(key)
    const r = await coll.mutateIn(key, [
      MutateInSpec.upsert('name', 'pekko'),
      MutateInSpec.insert('added', 1),
      MutateInSpec.arrayAppend('tags', 'c'),
      MutateInSpec.increment('counter', 5),
      MutateInSpec.remove('nested'),
      MutateInSpec.arrayAddUnique('tags', 'd'),
    ])
    assert(r.cas.toString() !== before.cas.toString(), 'mutateIn should change the cas')
    assert(r.content[3].value === 5, 'increment should answer 5: ' + JSON.stringify(r.content[3]))
    const after = await coll.get(key)
    const expected = { name: 'pekko', tags: ['a', 'b', 'c', 'd'], added: 1, counter: 5 }
    assert(JSON.stringify(after.content) === JSON.stringify(expected), 'document after mutateIn: ' + JSON.stringify(after.content))
    assert(after.cas.toString() === r.cas.toString(), 'get cas should be the mutateIn cas')
    const owner = await coll.lookupIn(key, [LookupInSpec.get('meta.owner', { xattr: true })])
    assert(owner.content[0].value === 'ann', 'xattrs survive body mutations: ' + JSON.stringify(owner.content[0]))
    return { cas: r.cas.toString() }
  })

  await step('subdoc-mutateIn-path-exists-fails-the-whole-request', async () => {
    const before = await coll.get(key)
    const got = await expectError(() => coll.mutateIn(key, [
      MutateInSpec.upsert('never', true),
      MutateInSpec.insert('name', 'x'),
    ]), couchbase.PathExistsError)
    const after = await coll.get(key)
    assert(after.cas.toString() === before.cas.toString(), 'a failed mutateIn must not change the cas')
    assert(after.content.never === undefined, 'a failed mutateIn must not apply its other specs')
    await expectError(() => coll.mutateIn(key, [MutateInSpec.arrayAddUnique('tags', 'a')]), couchbase.PathExistsError)
    await expectError(() => coll.mutateIn(key, [MutateInSpec.replace('nothing.here', 1)]), couchbase.PathNotFoundError)
    return got
  })

  await step('subdoc-mutateIn-stale-cas-and-missing-document', async () => {
    const before = await coll.get(key)
    await coll.mutateIn(key, [MutateInSpec.increment('counter', 1)])
    await expectError(() => coll.mutateIn(key, [MutateInSpec.upsert('x', 1)], { cas: before.cas }), couchbase.CasMismatchError)
    await expectError(() => coll.mutateIn('interop::subdoc-none', [MutateInSpec.upsert('x', 1)]), couchbase.DocumentNotFoundError)
    return expectError(() => coll.lookupIn('interop::subdoc-none', [LookupInSpec.get('x')]), couchbase.DocumentNotFoundError)
  })

  await step('subdoc-store-semantics-upsert-and-insert-documents', async () => {
    const k = 'interop::subdoc-created'
    await coll.remove(k).catch(() => {})
    await coll.mutateIn(k, [MutateInSpec.upsert('a.b', 1, { createPath: true })], { storeSemantics: StoreSemantics.Upsert })
    const created = await coll.get(k)
    assert(JSON.stringify(created.content) === '{"a":{"b":1}}', 'created document: ' + JSON.stringify(created.content))
    await expectError(() => coll.mutateIn(k, [MutateInSpec.upsert('c', 1)], { storeSemantics: StoreSemantics.Insert }), couchbase.DocumentExistsError)
    return { content: created.content }
  })

  await step('subdoc-get-withExpiry-and-mutateIn-expiry', async () => {
    const k = 'interop::subdoc-ttl'
    await coll.remove(k).catch(() => {})
    await coll.upsert(k, { t: 1 }, { expiry: 3600 })
    const r = await coll.get(k, { withExpiry: true })
    const seconds = r.expiryTime - Math.floor(Date.now() / 1000) // expiryTime: Unix seconds
    assert(seconds > 3500 && seconds <= 3601, 'expiry should be about an hour away, is ' + seconds + ' s')
    await coll.mutateIn(k, [MutateInSpec.upsert('u', 2)], { expiry: 120 })
    const again = await coll.lookupIn(k, [LookupInSpec.get(LookupInMacro.Expiry)])
    const left = again.content[0].value - Math.floor(Date.now() / 1000)
    assert(left > 60 && left <= 121, 'mutateIn expiry should be about 120 s away, is ' + left)
    return { seconds, left }
  })

  await step('subdoc-macros-and-document-virtual-xattr', async () => {
    const r = await coll.mutateIn(key, [
      MutateInSpec.upsert('txn.cas', MutateInMacro.Cas, { xattr: true, createPath: true }),
      MutateInSpec.upsert('txn.seq', MutateInMacro.SeqNo, { xattr: true }),
    ])
    const l = await coll.lookupIn(key, [
      LookupInSpec.get('txn', { xattr: true }),
      LookupInSpec.get(LookupInMacro.Cas),
      LookupInSpec.get(LookupInMacro.ValueSizeBytes),
      LookupInSpec.get(LookupInMacro.IsDeleted),
    ])
    const txn = l.content[0].value
    assert(/^0x[0-9a-f]{16}$/.test(txn.cas) && /^0x[0-9a-f]{16}$/.test(txn.seq), 'macros should expand to hex: ' + JSON.stringify(txn))
    // ${Mutation.CAS} holds the CAS's bytes in network order read as a little-endian number
    const le = BigInt(txn.cas)
    let be = 0n
    for (let i = 0n; i < 8n; i++) be = (be << 8n) | ((le >> (8n * i)) & 0xffn)
    assert(be.toString() === r.cas.toString(), `txn.cas ${txn.cas} should be the mutation cas ${r.cas}`)
    assert(BigInt(l.content[1].value).toString() === r.cas.toString(), '$document.CAS should be the cas: ' + l.content[1].value)
    const body = await coll.get(key)
    assert(l.content[2].value === Buffer.byteLength(JSON.stringify(body.content)), '$document.value_bytes: ' + l.content[2].value)
    assert(l.content[3].value === false, '$document.deleted should be false')
    return { txn }
  })

  await cluster.close()
  report('summary', failures === 0, { failures })
  process.exit(failures === 0 ? 0 : 1)
}

main().catch((err) => {
  report('fatal', false, { error: String(err && err.stack ? err.stack : err) })
  process.exit(1)
})
