/**
 * The shape every exporter of core/export shares (loaders.gl habit: format metadata is plain data, the export
 * function is pure and returns the file's bytes or text).
 */

/** What an exporter takes: a `section` (core/measure CrossSection), a list of buildings, or a protocol. */
export type ExportKind = 'section' | 'buildings' | 'protocol';

/** The bytes or text of one exported file. */
export type ExportOutput = Uint8Array | string;

/** One export format: plain metadata plus a pure export function. */
export interface Exporter<TData = unknown, TOptions = object> {
  /** Stable format id, e.g. `section-csv`. */
  readonly id: string;
  /** Human-readable label (German first, as the UI shows it). */
  readonly label: string;
  /** File name extension without the dot, e.g. `csv`. */
  readonly extension: string;
  /** Media type of the output. */
  readonly mimeType: string;
  /** Which data this exporter accepts. */
  readonly kinds: readonly ExportKind[];
  /** True when the output is binary (a Uint8Array), false when it is text. */
  readonly binary: boolean;
  /** Writes the file; pure (no I/O, no clock unless the options leave the timestamp open). */
  export(data: TData, options?: TOptions): ExportOutput;
}
