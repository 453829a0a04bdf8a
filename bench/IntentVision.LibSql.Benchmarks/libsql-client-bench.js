// The same four workloads as Program.cs, through the official @libsql/client, against the same sqld.
// Usage: node libsql-client-bench.js <url>; prints one JSON object of rows/s (and SQLITE_BUSY errors seen).
const { createClient } = require('@libsql/client');

const url = process.argv[2];
const client = createClient({ url });
const cols = '(id INTEGER PRIMARY KEY, series TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL)';
const insert = (table) => `INSERT INTO ${table} (series, ts, value) VALUES (?, ?, ?)`;
const seconds = (start) => (performance.now() - start) / 1000;

async function main() {
  const out = { busyErrors: 0 };
  for (const t of ['js_warm', 'js_seq', 'js_bulk', 'js_conc']) {
    await client.execute(`CREATE TABLE ${t} ${cols}`);
  }
  for (let i = 0; i < 50; i++) {
    await client.execute({ sql: insert('js_warm'), args: ['warm', i, i * 0.5] });
    await client.execute({ sql: 'SELECT series, ts, value FROM js_warm WHERE id = ?', args: [i + 1] });
  }

  let start = performance.now();
  for (let i = 0; i < 2000; i++) {
    await client.execute({ sql: insert('js_seq'), args: ['cpu', i, i * 0.5] });
  }
  out.sequentialInserts = 2000 / seconds(start);

  const statements = Array.from({ length: 10000 }, (_, i) => ({ sql: insert('js_bulk'), args: ['cpu', i, i * 0.25] }));
  start = performance.now();
  await client.batch(statements, 'write');
  out.bulkInsertInTransaction = 10000 / seconds(start);

  start = performance.now();
  for (let i = 0; i < 1000; i++) {
    const rs = await client.execute({ sql: 'SELECT series, ts, value FROM js_seq WHERE id = ?', args: [1 + ((i * 7) % 2000)] });
    if (rs.rows.length !== 1) throw new Error('point read found no row');
  }
  out.pointSelects = 1000 / seconds(start);

  start = performance.now();
  await Promise.all(Array.from({ length: 20 }, async (_, writer) => {
    for (let n = 0; n < 100; n++) {
      try {
        await client.execute({ sql: insert('js_conc'), args: [`w${writer}`, n, n] });
      } catch (e) {
        if (String(e.code || e.message).includes('BUSY')) out.busyErrors++;
        else throw e;
      }
    }
  }));
  out.concurrentWriters = 2000 / seconds(start);
  client.close();
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
