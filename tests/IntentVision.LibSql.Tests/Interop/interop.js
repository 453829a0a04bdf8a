// The official @libsql/client on the other side of the interoperability tests.
//   node interop.js <url> write <table>   writes the reference rows below
//   node interop.js <url> read <table>    prints every row as JSON, with exact integers (as strings) and blobs (base64)
const { createClient } = require('@libsql/client');

const [url, mode, table] = process.argv.slice(2);
const client = createClient({ url, intMode: 'bigint' });

const rows = [
  [1n, 9007199254740993n, 1.5, 'héllo wörld 🌍', new Uint8Array([0, 1, 2, 255]), null],
  [2n, -9223372036854775808n, 2.0, '', new Uint8Array([]), null],
  [3n, 9223372036854775807n, -1e-300, '日本語\n"quoted" \\ \t', new Uint8Array(Array.from({ length: 1000 }, (_, i) => i % 256)), null],
  [4n, 0n, 1e20, 'x'.repeat(10000), new Uint8Array([42]), null],
];

function encode(value) {
  if (value === null) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() };
  if (typeof value === 'number') return { type: 'float', value };
  if (typeof value === 'string') return { type: 'text', value };
  return { type: 'blob', base64: Buffer.from(value).toString('base64') };
}

async function main() {
  if (mode === 'write') {
    await client.execute(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, i INTEGER, f REAL, t TEXT, b BLOB, n)`);
    await client.batch(rows.map((args) => ({ sql: `INSERT INTO ${table} VALUES (?, ?, ?, ?, ?, ?)`, args })), 'write');
  } else {
    const rs = await client.execute(
      `SELECT id, i, f, t, b, n, typeof(i) AS ti, typeof(f) AS tf, typeof(t) AS tt, typeof(b) AS tb, typeof(n) AS tn FROM ${table} ORDER BY id`);
    const out = rs.rows.map((row) => Array.from({ length: rs.columns.length }, (_, c) => encode(row[c])));
    process.stdout.write(JSON.stringify(out));
  }
  client.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
