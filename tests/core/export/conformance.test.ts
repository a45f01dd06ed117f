import initSqlJs from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExportKind, ExportOutput, Exporter } from '../../../core/export/exporter.ts';
import { buildingProtocol } from '../../../core/export/protocol-builders.ts';
import {
  EXPORTERS,
  EXPORTERS_BY_ID,
  exportersFor,
  findExporter,
  findExporterByExtension,
  getExporter,
} from '../../../core/export/registry.ts';
import { BUILDING_ROWS, CREATED_AT, streetSection } from './export-fixtures.ts';

let sqlJs: unknown;
beforeAll(async () => {
  sqlJs = await initSqlJs();
});

/** Realistic input per kind, and the options that make every exporter deterministic. */
function sample(kind: ExportKind): unknown {
  if (kind === 'section') return streetSection().section;
  if (kind === 'buildings') return BUILDING_ROWS;
  return buildingProtocol(BUILDING_ROWS[0]!, { driveDate: '2026-04-28', createdAt: CREATED_AT });
}

function run(x: Exporter): ExportOutput {
  return x.export(sample(x.kinds[0]!), { sqlJs, createdAt: CREATED_AT });
}

describe('export registry conformance', () => {
  it('has unique ids that match EXPORTERS_BY_ID and covers every format of issue 5', () => {
    const ids = EXPORTERS.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(Object.keys(EXPORTERS_BY_ID).sort());
    expect(exportersFor('section').map((x) => x.id)).toEqual([
      'section-csv',
      'section-dxf-2d',
      'section-dxf-3d',
      'section-landxml',
      'section-svg',
    ]);
    expect(exportersFor('buildings').map((x) => x.id).sort()).toEqual(['buildings-csv', 'buildings-geojson', 'buildings-gpkg']);
    expect(exportersFor('protocol').map((x) => x.id)).toEqual(['protocol-html']);
    expect(findExporter('nope')).toBeUndefined();
    expect(() => getExporter('nope' as 'section-csv')).toThrow(/Invalid export format: nope/);
    expect(findExporterByExtension('buildings', 'Plan 12/out.GPKG')?.id).toBe('buildings-gpkg');
    expect(findExporterByExtension('buildings', 'out.json')?.id).toBe('buildings-geojson');
    expect(findExporterByExtension('buildings', 'out.csv')?.id).toBe('buildings-csv');
    expect(findExporterByExtension('section', 'out.shp')).toBeUndefined();
  });

  for (const x of EXPORTERS) {
    describe(x.id, () => {
      it('declares its metadata', () => {
        expect(x.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
        expect(x.label.length).toBeGreaterThan(5);
        expect(x.extension).toMatch(/^[a-z0-9]+$/);
        expect(x.mimeType).toMatch(/^[a-z]+\/[a-z0-9.+-]+$/);
        expect(x.kinds.length).toBeGreaterThan(0);
      });

      it('returns non-empty output of its declared type that matches its extension', () => {
        const out = run(x);
        expect(out instanceof Uint8Array).toBe(x.binary);
        expect(typeof out === 'string').toBe(!x.binary);
        expect(out.length).toBeGreaterThan(100);
        const head = typeof out === 'string' ? out.slice(0, 64) : new TextDecoder().decode(out.subarray(0, 16));
        const magic: Record<string, RegExp> = {
          csv: /^[A-Za-z_]+[,;]/,
          dxf: /^ {2}0\r\nSECTION\r\n/,
          xml: /^<\?xml version="1.0" encoding="UTF-8"\?>/,
          geojson: /^\{"type":"FeatureCollection"/,
          gpkg: /^SQLite format 3\0/,
          html: /^<!DOCTYPE html>/,
          svg: /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
        };
        expect(magic[x.extension], `no magic for ${x.extension}`).toBeDefined();
        expect(head).toMatch(magic[x.extension]!);
      });

      it('is deterministic: the same input and options give identical output', () => {
        const a = run(x);
        const b = run(x);
        expect(typeof a === 'string' ? a : Array.from(a)).toEqual(typeof b === 'string' ? b : Array.from(b));
      });

      it('does not modify its input', () => {
        const data = sample(x.kinds[0]!);
        const before = JSON.stringify(data);
        x.export(data, { sqlJs, createdAt: CREATED_AT });
        expect(JSON.stringify(data)).toBe(before);
      });
    });
  }
});
