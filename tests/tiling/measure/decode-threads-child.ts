/**
 * Child process of decode-threads.test.ts: awaits the threads' start, then a query that only the threads can
 * answer (the calling thread has nothing else to keep it alive), and prints what it got. Exit code 13 would
 * mean the event loop ran dry while the top-level await was still pending.
 */
import { MEASURE_FIELDS, openPointSource } from '../../../core/query/point-source.ts';
import { Region } from '../../../core/query/region.ts';
import { createFileGetter } from '../../../tiling/file-getter.ts';
import { startDecodeThreads } from '../../../tiling/measure/decode-threads.ts';

const [file, e, n] = process.argv.slice(2);
const threads = startDecodeThreads({ threads: 1 });
await threads.ready;
const getter = await createFileGetter(file!);
const source = await openPointSource(getter, { decodeChunk: threads.decode });
const { points, stats } = await source.query(Region.disc([Number(e), Number(n)], 8), { fields: MEASURE_FIELDS });
await getter.close();
console.log(JSON.stringify({ count: points.count, nodes: stats.nodesFetched, counts: threads.counts() }));
