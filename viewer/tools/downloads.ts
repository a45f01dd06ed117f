/**
 * Downloads from the page: bytes or text become a Blob URL clicked through a temporary link (no request leaves
 * the page), and the exporters of core/export run on the measured plain data.
 */
import type { Exporter, ExportOutput } from '../../core/export/exporter.ts';
import type { SqlJsLike } from '../../core/export/buildings-geopackage.ts';

/** Offers `data` as a file download named `fileName`. */
export function downloadFile(data: ExportOutput, fileName: string, mimeType: string): void {
  const blob = new Blob([typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>)], { type: mimeType });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  document.body.dataset.toolDownload = fileName;
}

let sqlJs: Promise<SqlJsLike> | undefined;

/** sql.js for the GeoPackage exporter, loaded on first use from this origin (its wasm bundled by Vite). */
export function loadSqlJs(): Promise<SqlJsLike> {
  sqlJs ??= (async () => {
    const [{ default: init }, { default: wasmUrl }] = await Promise.all([
      import('sql.js/dist/sql-wasm.js' as string) as Promise<{ default: (c: { locateFile: (f: string) => string }) => Promise<SqlJsLike> }>,
      import('sql.js/dist/sql-wasm.wasm?url' as string) as Promise<{ default: string }>,
    ]);
    return init({ locateFile: () => wasmUrl });
  })();
  return sqlJs;
}

/** Runs an exporter (GeoPackage gets sql.js) and downloads its output as `<baseName>.<extension>`. */
export async function runExport<T>(exporter: Exporter<T, object>, data: T, baseName: string, options: object = {}): Promise<void> {
  const extra = exporter.id === 'buildings-gpkg' ? { sqlJs: await loadSqlJs() } : {};
  const output = exporter.export(data, { ...options, ...extra });
  downloadFile(output, `${baseName}.${exporter.extension}`, exporter.mimeType);
}
