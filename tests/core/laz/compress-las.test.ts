/**
 * core/laz/compress-las.ts: an uncompressed LAS 1.4 file written by core/las becomes a LAZ 1.4 file that
 * laz-perf (through core/las) decodes to the same records, header fields and WKT; other versions are refused.
 */
import { describe, expect, it } from 'vitest';
import { createBytesGetter } from '../../../core/io/getter.ts';
import { openLas } from '../../../core/las/las-file.ts';
import type { PointColumns } from '../../../core/las/point-columns.ts';
import { writeLas } from '../../../core/las/writer.ts';
import { compressLasToLaz } from '../../../core/laz/compress-las.ts';

describe('compressLasToLaz', () => {
  function points(count: number): PointColumns {
    const x = new Float64Array(count);
    const y = new Float64Array(count);
    const z = new Float64Array(count);
    const gpsTime = new Float64Array(count);
    const intensity = new Uint16Array(count);
    const classification = new Uint8Array(count);
    const red = new Uint16Array(count);
    const green = new Uint16Array(count);
    const blue = new Uint16Array(count);
    for (let i = 0; i < count; i++) {
      x[i] = 337000 + (i % 1000) * 0.013;
      y[i] = 5682000 + Math.floor(i / 1000) * 0.021;
      z[i] = 35 + Math.sin(i / 50);
      gpsTime[i] = 370766618 + i * 1e-5;
      intensity[i] = (i * 37) % 65536;
      classification[i] = 1 + (i % 7);
      red[i] = (i * 11) % 65536;
      green[i] = (i * 13) % 65536;
      blue[i] = (i * 17) % 65536;
    }
    return { count, x, y, z, gpsTime, intensity, classification, red, green, blue };
  }

  it('writes a LAZ 1.4 file (two chunks) that laz-perf decodes to the same records as the LAS', async () => {
    const las = writeLas(points(70_000), { version: '1.4', pointFormat: 7, scale: [0.001, 0.001, 0.001], offset: [337000, 5682000, 0], wkt: 'LOCAL_CS["x"]' });
    const laz = compressLasToLaz(las);
    expect(laz.byteLength).toBeLessThan(las.byteLength / 2);
    const a = await openLas(createBytesGetter(las, 'a.las'));
    const b = await openLas(createBytesGetter(laz, 'b.laz'));
    expect(b.compressed).toBe(true);
    expect(b.header.pointFormat).toBe(7);
    expect(b.header.pointCount).toBe(70_000);
    expect(b.wkt).toBe('LOCAL_CS["x"]');
    const ra = await a.readRecords();
    const rb = await b.readRecords();
    expect(Buffer.from(rb.bytes).equals(Buffer.from(ra.bytes))).toBe(true);
  });

  it('refuses formats the encoder does not handle', () => {
    const las = writeLas(points(10), { version: '1.2', pointFormat: 3 });
    expect(() => compressLasToLaz(las)).toThrow('Invalid LAZ output: LAS 1.2');
  });
});
