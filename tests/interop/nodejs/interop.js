'use strict'
// Couchbase's own Node.js SDK against the in-process TestKit cluster.
//
// Target cluster: from the environment (CB_CONNSTR, CB_USERNAME, CB_PASSWORD, CB_BUCKET, CB_VIEW_BUCKET), or,
// when CB_CONNSTR is unset, a 3-node cluster started here with the TestKit runner (RUNNER_DLL or the default
// build output path), loaded with beer-sample (BEER_SAMPLE_ZIP or shared/data/beer-sample.zip).
// TLS: a couchbases:// CB_CONNSTR with CB_TRUST_STORE (the CA's PEM file; also trusted for CB_MGMT_URL over https),
// or CB_TLS=1 to start the runner with --tls. CB_EXPECT_REFUSAL=1: the connection must fail (e.g. CB_TRUST_STORE is
// a CA that did not sign the cluster's certificates), and nothing else runs.
// Prints one JSON line per step; exits 1 on any mismatch.

const path = require('path')
const fs = require('fs')
const { spawn } = require('child_process')
const readline = require('readline')
const http = require('http')
const https = require('https')
const couchbase = require('couchbase')

const EXPECTED_BREWERY_BEERS = [
  [['21st_amendment_brewery_cafe'], '21st_amendment_brewery_cafe'],
  [['21st_amendment_brewery_cafe', '21st_amendment_brewery_cafe-21a_ipa'], '21st_amendment_brewery_cafe-21a_ipa'],
  [['21st_amendment_brewery_cafe', '21st_amendment_brewery_cafe-563_stout'], '21st_amendment_brewery_cafe-563_stout'],
  [['21st_amendment_brewery_cafe', '21st_amendment_brewery_cafe-amendment_pale_ale'], '21st_amendment_brewery_cafe-amendment_pale_ale'],
  [['21st_amendment_brewery_cafe', '21st_amendment_brewery_cafe-bitter_american'], '21st_amendment_brewery_cafe-bitter_american'],
]

let failures = 0

function report(step, ok, detail) {
  if (!ok) failures++
  process.stdout.write(JSON.stringify({ step, ok, ...detail }) + '\n')
}

async function step(name, fn) {
  try {
    const detail = await fn()
    report(name, true, detail || {})
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

function findUp(rel) {
  let dir = __dirname
  for (;;) {
    const candidate = path.join(dir, rel)
    if (fs.existsSync(candidate)) return candidate
    const parent = path.dirname(dir)
    if (parent === dir) return null
    dir = parent
  }
}

// POST a form to the cluster manager; over https the trust store is the only CA trusted.
function postForm(url, auth, body, trustStore) {
  const u = new URL(url)
  const tls = u.protocol === 'https:'
  const options = {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
  }
  if (tls && trustStore) options.ca = fs.readFileSync(trustStore)
  return new Promise((resolve, reject) => {
    const req = (tls ? https : http).request(u, options, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function startRunner(useTls) {
  const dll = process.env.RUNNER_DLL ||
    findUp('src/Akka.Couchbase.TestKit.Runner/bin/Release/net10.0/Akka.Couchbase.TestKit.Runner.dll') ||
    findUp('src/Akka.Couchbase.TestKit.Runner/bin/Debug/net10.0/Akka.Couchbase.TestKit.Runner.dll')
  const zip = process.env.BEER_SAMPLE_ZIP || findUp('shared/data/beer-sample.zip')
  if (!dll) throw new Error('runner not built (set RUNNER_DLL)')
  if (!zip) throw new Error('beer-sample.zip not found (set BEER_SAMPLE_ZIP)')
  const child = spawn('dotnet', [dll, '--nodes', '3', '--bucket', 'default', '--replicas', '1',
    '--user', 'Administrator', '--password', 'password', '--beer-sample', zip].concat(useTls ? ['--tls'] : []), { stdio: ['pipe', 'pipe', 'inherit'] })
  const rl = readline.createInterface({ input: child.stdout })
  const line = await new Promise((resolve, reject) => {
    rl.once('line', resolve)
    child.once('exit', (code) => reject(new Error('runner exited with ' + code)))
  })
  const info = JSON.parse(line)
  return { info, stop: () => child.stdin.end() }
}

async function main() {
  let runner = null
  let connStr = process.env.CB_CONNSTR
  const username = process.env.CB_USERNAME || 'Administrator'
  const password = process.env.CB_PASSWORD || 'password'
  const bucketName = process.env.CB_BUCKET || 'default'
  const viewBucketName = process.env.CB_VIEW_BUCKET || 'beer-sample'
  let mgmtUrl = process.env.CB_MGMT_URL
  let trustStore = process.env.CB_TRUST_STORE
  const expectRefusal = process.env.CB_EXPECT_REFUSAL === '1'
  if (!connStr) {
    const useTls = process.env.CB_TLS === '1'
    runner = await startRunner(useTls)
    connStr = runner.info.connectionString
    const n0 = runner.info.nodes[0]
    mgmtUrl = useTls ? `https://${n0.host}:${n0.mgmtTls}` : `http://${n0.host}:${n0.mgmt}`
    if (useTls) trustStore = runner.info.tls.caPath
  }
  report('cluster', true, { connStr, trustStore })

  const connectOptions = {
    username,
    password,
    timeouts: { kvTimeout: 5000, connectTimeout: 10000, bootstrapTimeout: expectRefusal ? 5000 : 15000, viewTimeout: 20000 },
  }
  if (trustStore) connectOptions.security = { trustStorePath: trustStore }

  if (expectRefusal) {
    let outcome
    try {
      const refused = await couchbase.connect(connStr, connectOptions)
      try {
        await refused.bucket(bucketName).defaultCollection().upsert('interop::refused', { x: 1 }, { timeout: 3000 })
        outcome = { ok: false, detail: { error: 'connected and wrote a document although the server should have been refused' } }
      } catch (err) {
        outcome = { ok: true, detail: { at: 'first-operation', got: err.constructor.name } }
      }
      await refused.close()
    } catch (err) {
      outcome = { ok: true, detail: { at: 'connect', got: err.constructor.name, error: String(err.message || err) } }
    }
    report('refused-untrusted-server', outcome.ok, outcome.detail)
    if (runner) runner.stop()
    process.exit(outcome.ok ? 0 : 1)
  }

  let cluster
  try {
    cluster = await couchbase.connect(connStr, connectOptions)
    report('connect', true, {})
  } catch (err) {
    report('connect', false, { error: String(err.message || err), type: err.constructor.name })
    if (runner) runner.stop()
    process.exit(1)
  }

  const coll = cluster.bucket(bucketName).defaultCollection()
  const key = 'interop::doc'
  let firstCas

  await step('upsert', async () => {
    await coll.remove(key).catch(() => {})
    const r = await coll.upsert(key, { name: 'akka', n: 1 })
    firstCas = r.cas
    assert(r.cas && r.cas.toString() !== '0', 'cas must be non-zero')
    return { cas: r.cas.toString() }
  })

  await step('get', async () => {
    const r = await coll.get(key)
    assert(r.content.name === 'akka' && r.content.n === 1, 'content mismatch: ' + JSON.stringify(r.content))
    assert(r.cas.toString() === firstCas.toString(), 'cas mismatch')
    return { content: r.content }
  })

  await step('replace-stale-cas', async () => {
    await coll.upsert(key, { name: 'akka', n: 2 })
    return expectError(() => coll.replace(key, { name: 'akka', n: 3 }, { cas: firstCas }), couchbase.CasMismatchError)
  })

  await step('insert-existing', async () => expectError(() => coll.insert(key, { x: 1 }), couchbase.DocumentExistsError))

  await step('remove', async () => {
    const r = await coll.remove(key)
    return { cas: r.cas.toString() }
  })

  await step('get-missing', async () => expectError(() => coll.get(key), couchbase.DocumentNotFoundError))

  await step('increment', async () => {
    const counterKey = 'interop::counter'
    await coll.remove(counterKey).catch(() => {})
    const a = await coll.binary().increment(counterKey, 1, { initial: 10 })
    const b = await coll.binary().increment(counterKey, 5)
    assert(Number(a.value) === 10, 'initial value should be 10, got ' + a.value)
    assert(Number(b.value) === 15, 'after +5 should be 15, got ' + b.value)
    return { values: [Number(a.value), Number(b.value)] }
  })

  await step('touch', async () => {
    await coll.upsert('interop::touch', { t: 1 })
    const before = await coll.get('interop::touch')
    const r = await coll.touch('interop::touch', 60)
    assert(r.cas.toString() !== before.cas.toString(), 'touch should change the cas')
    await expectError(() => coll.touch('interop::no-such-doc', 60), couchbase.DocumentNotFoundError)
    const expiry = (await coll.get('interop::touch', { withExpiry: true })).expiryTime - Math.floor(Date.now() / 1000)
    assert(expiry > 0 && expiry <= 61, 'touch should set the expiry about 60 s away, is ' + expiry)
    return { cas: r.cas.toString(), expiry }
  })

  await step('get-and-lock-unlock', async () => {
    const lockKey = 'interop::lock'
    await coll.upsert(lockKey, { l: 1 })
    const locked = await coll.getAndLock(lockKey, 10)
    assert(locked.content.l === 1, 'locked content mismatch')
    await coll.unlock(lockKey, locked.cas)
    const after = await coll.upsert(lockKey, { l: 2 })
    return { lockCas: locked.cas.toString(), afterUnlockCas: after.cas.toString() }
  })

  // Scopes and collections: created through the SDK's collection manager (the REST API), then CRUD on the named
  // collection, which is apart from the default one; errors where a real server gives them.
  const bucket = cluster.bucket(bucketName)
  const manager = bucket.collections()
  const scopeName = 'interop_scope'
  const named = bucket.scope(scopeName).collection('airline')

  await step('collections-create-scope-and-collection', async () => {
    await manager.createScope(scopeName)
    await manager.createCollection('airline', scopeName)
    await expectError(() => manager.createScope(scopeName), couchbase.ScopeExistsError)
    await expectError(() => manager.createCollection('airline', scopeName), couchbase.CollectionExistsError)
    await expectError(() => manager.createCollection('airline', 'no_such_scope'), couchbase.ScopeNotFoundError)
    const scopes = await manager.getAllScopes()
    const scope = scopes.find((s) => s.name === scopeName)
    assert(scope && scope.collections.some((c) => c.name === 'airline'), 'getAllScopes: ' + JSON.stringify(scopes))
    return { scopes: scopes.map((s) => s.name) }
  })

  await step('collection-crud', async () => {
    const k = 'interop::airline::10'
    const up = await named.upsert(k, { name: '40-Mile Air', n: 1 })
    const got = await named.get(k)
    assert(got.content.name === '40-Mile Air' && got.cas.toString() === up.cas.toString(), 'get: ' + JSON.stringify(got.content))
    await expectError(() => coll.get(k), couchbase.DocumentNotFoundError) // not in the default collection
    await named.replace(k, { name: '40-Mile Air', n: 2 }, { cas: got.cas })
    await expectError(() => named.replace(k, { n: 3 }, { cas: got.cas }), couchbase.CasMismatchError)
    await expectError(() => named.insert(k, { n: 4 }), couchbase.DocumentExistsError)
    await named.insert('interop::airline::11', { name: 'Texas Wings' })
    assert((await named.get(k)).content.n === 2, 'replace not visible')
    await named.remove(k)
    await expectError(() => named.get(k), couchbase.DocumentNotFoundError)
    await expectError(() => named.remove(k), couchbase.DocumentNotFoundError)
    return {}
  })

  // A collection that never existed: GET_COLLECTION_ID answers UNKNOWN_COLLECTION, which the SDK's core retries
  // (the collection may be on its way, RFC 0049) until the operation times out, as against a real server.
  await step('collection-not-found-times-out', async () =>
    expectError(() => bucket.scope(scopeName).collection('no_such_collection').get('x', { timeout: 2000 }), couchbase.UnambiguousTimeoutError))

  await step('collection-dropped', async () => {
    await named.upsert('interop::airline::12', { x: 1 })
    await manager.dropCollection('airline', scopeName)
    await expectError(() => manager.dropCollection('airline', scopeName), couchbase.CollectionNotFoundError)
    // the SDK still has the dropped collection's id: the node's UNKNOWN_COLLECTION comes back as CollectionNotFoundError
    await expectError(() => named.get('interop::airline::12', { timeout: 3000 }), couchbase.CollectionNotFoundError)
    await manager.dropScope(scopeName)
    await expectError(() => manager.dropScope(scopeName), couchbase.ScopeNotFoundError)
    return {}
  })

  await step('view-brewery_beers-limit-5', async () => {
    const r = await cluster.bucket(viewBucketName).viewQuery('beer', 'brewery_beers', { limit: 5 })
    const got = r.rows.map((row) => [row.key, row.id])
    assert(JSON.stringify(got) === JSON.stringify(EXPECTED_BREWERY_BEERS), 'rows mismatch: ' + JSON.stringify(got))
    assert(r.rows.every((row) => row.value === null || row.value === undefined), 'values should be null')
    return { rows: got.length, totalRows: r.meta ? r.meta.totalRows : undefined }
  })

  if (mgmtUrl) {
    await step('failover-node-2-then-read-and-write', async () => {
      const keys = Array.from({ length: 40 }, (_, i) => `interop::fo::${i}`)
      for (const k of keys) await coll.upsert(k, { k })
      const auth = 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64')
      const status = await postForm(`${mgmtUrl}/controller/failOver`, auth,
        'otpNode=' + encodeURIComponent('n_2@127.0.0.1'), trustStore)
      assert(status === 200, 'failover answered HTTP ' + status)
      for (const k of keys) {
        const r = await coll.get(k)
        assert(r.content.k === k, 'content mismatch after failover for ' + k)
      }
      for (const k of keys) await coll.upsert(k, { k, after: true })
      const again = await coll.get(keys[keys.length - 1])
      assert(again.content.after === true, 'write after failover not visible')
      return { keys: keys.length }
    })
  }

  await cluster.close()
  if (runner) runner.stop()
  report('summary', failures === 0, { failures })
  process.exit(failures === 0 ? 0 : 1)
}

main().catch((err) => {
  report('fatal', false, { error: String(err && err.stack ? err.stack : err) })
  process.exit(1)
})
