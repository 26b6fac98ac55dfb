import { PGlite } from '@electric-sql/pglite';
const p = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];
const dir = process.argv[2];
const db = await PGlite.create(dir, { startParams: p });
if (process.argv[3] === 'init') { await db.close(); process.exit(0); }
await db.query('select 1');
global.gc();
const u = process.memoryUsage();
console.log('clean open rss', (u.rss/1048576).toFixed(0), 'ext', (u.external/1048576).toFixed(0));
