/**
 * The tools' state machine, apart from drawing and from the math (Potree's Measure mixes picking, labels and
 * dragging in one class; here a tool is plain data changed by events, the panel and the overlay only read it).
 *
 * A tool collects picks (float64 world [E, N, H]; H is NaN for a plan coordinate typed without a height) until it
 * is complete: fixed-count tools complete on their last pick, open tools (polyline, area, footprint, clip
 * polygon) on `finish`. A complete tool that needs the full-resolution points goes `measuring` -> `measured` or
 * `failed`.
 *
 * @example
 * let s = selectTool('distance');
 * s = reduceTool(s, { type: 'pick', at: [291400, 5744300, 35.2] });
 * s = reduceTool(s, { type: 'pick', at: [291403, 5744304, 35.9] }); // s.phase === 'complete'
 */
import type { Point3 } from '../../core/geometry/point3.ts';

/** The tools. */
export type ToolKind =
  | 'point'
  | 'distance'
  | 'height'
  | 'polyline'
  | 'area'
  | 'spot'
  | 'spot-relative'
  | 'building'
  | 'section'
  | 'section-axis'
  | 'clip-box'
  | 'clip-polygon';

/** How many picks a tool takes and what it needs. */
export interface ToolSpec {
  readonly kind: ToolKind;
  readonly minPicks: number;
  /** Infinity for open tools that complete on `finish`. */
  readonly maxPicks: number;
  /** True when the result comes from the worker (full-resolution points), false when it is computed from the picks. */
  readonly async: boolean;
  /** True when a pick needs a height (3D tools); plan tools accept `E,N`. */
  readonly needsHeight: boolean;
}

/** Every tool's spec, in menu order. */
export const TOOL_SPECS: readonly ToolSpec[] = [
  { kind: 'point', minPicks: 1, maxPicks: 1, async: false, needsHeight: true },
  { kind: 'distance', minPicks: 2, maxPicks: 2, async: false, needsHeight: true },
  { kind: 'height', minPicks: 2, maxPicks: 2, async: false, needsHeight: true },
  { kind: 'polyline', minPicks: 2, maxPicks: Infinity, async: false, needsHeight: true },
  { kind: 'area', minPicks: 3, maxPicks: Infinity, async: false, needsHeight: false },
  { kind: 'spot', minPicks: 1, maxPicks: 1, async: true, needsHeight: false },
  { kind: 'spot-relative', minPicks: 2, maxPicks: 2, async: true, needsHeight: false },
  { kind: 'building', minPicks: 3, maxPicks: Infinity, async: true, needsHeight: false },
  { kind: 'section', minPicks: 2, maxPicks: 2, async: true, needsHeight: false },
  { kind: 'section-axis', minPicks: 2, maxPicks: 2, async: true, needsHeight: false },
  { kind: 'clip-box', minPicks: 2, maxPicks: 2, async: true, needsHeight: false },
  { kind: 'clip-polygon', minPicks: 3, maxPicks: Infinity, async: true, needsHeight: false },
];

/** The spec of a tool; throws `Invalid tool: …` for an unknown kind. */
export function getToolSpec(kind: ToolKind): ToolSpec {
  const spec = TOOL_SPECS.find((s) => s.kind === kind);
  if (!spec) throw new Error(`Invalid tool: ${kind}`);
  return spec;
}

/** Phases of a tool. */
export type ToolPhase = 'picking' | 'complete' | 'measuring' | 'measured' | 'failed';

/** A tool's state (immutable). */
export interface ToolState {
  readonly kind: ToolKind;
  readonly picks: readonly Point3[];
  readonly phase: ToolPhase;
  /** Counts measurement requests, so a late answer to an older request is ignored. */
  readonly request: number;
  /** The failure message in phase `failed`. */
  readonly error?: string;
}

/** Events that change a tool. */
export type ToolEvent =
  | { readonly type: 'pick'; readonly at: Point3 }
  | { readonly type: 'move'; readonly index: number; readonly at: Point3 }
  | { readonly type: 'undo' }
  | { readonly type: 'finish' }
  | { readonly type: 'clear' }
  | { readonly type: 'measure' }
  | { readonly type: 'measured'; readonly request: number }
  | { readonly type: 'failed'; readonly request: number; readonly message: string };

/** A fresh tool of this kind, no picks. */
export function selectTool(kind: ToolKind): ToolState {
  getToolSpec(kind);
  return { kind, picks: [], phase: 'picking', request: 0 };
}

function checkPoint(at: Point3, spec: ToolSpec): void {
  if (!Number.isFinite(at[0]) || !Number.isFinite(at[1])) throw new Error(`Invalid pick: ${at.join(',')}`);
  if (spec.needsHeight && !Number.isFinite(at[2])) throw new Error(`Invalid pick: ${at.join(',')} (the ${spec.kind} tool needs a height)`);
}

/** The next state after an event; events that do not apply in the current phase leave the state unchanged. */
export function reduceTool(state: ToolState, event: ToolEvent): ToolState {
  const spec = getToolSpec(state.kind);
  switch (event.type) {
    case 'pick': {
      if (state.phase !== 'picking') return state;
      checkPoint(event.at, spec);
      const picks = [...state.picks, event.at];
      return { ...state, picks, phase: picks.length >= spec.maxPicks ? 'complete' : 'picking' };
    }
    case 'move': {
      if (event.index < 0 || event.index >= state.picks.length || state.phase === 'measuring') return state;
      checkPoint(event.at, spec);
      const picks = state.picks.map((p, i) => (i === event.index ? event.at : p));
      // A moved vertex invalidates a measurement: the tool is complete again, ready to re-measure.
      const phase: ToolPhase = state.phase === 'picking' ? 'picking' : 'complete';
      return { kind: state.kind, picks, phase, request: state.request };
    }
    case 'undo': {
      if (state.picks.length === 0 || state.phase === 'measuring') return state;
      return { kind: state.kind, picks: state.picks.slice(0, -1), phase: 'picking', request: state.request };
    }
    case 'finish': {
      if (state.phase !== 'picking' || state.picks.length < spec.minPicks) return state;
      return { ...state, phase: 'complete' };
    }
    case 'clear':
      return { kind: state.kind, picks: [], phase: 'picking', request: state.request };
    case 'measure': {
      if (!spec.async || (state.phase !== 'complete' && state.phase !== 'measured' && state.phase !== 'failed')) return state;
      return { kind: state.kind, picks: state.picks, phase: 'measuring', request: state.request + 1 };
    }
    case 'measured':
      if (state.phase !== 'measuring' || event.request !== state.request) return state;
      return { ...state, phase: 'measured' };
    case 'failed':
      if (state.phase !== 'measuring' || event.request !== state.request) return state;
      return { ...state, phase: 'failed', error: event.message };
    default:
      return state;
  }
}

/** True when the tool has all its picks (complete, measuring, measured or failed). */
export function isComplete(state: ToolState): boolean {
  return state.phase !== 'picking';
}

/** True when `finish` would complete the tool now (an open tool with enough picks). */
export function canFinish(state: ToolState): boolean {
  const spec = getToolSpec(state.kind);
  return state.phase === 'picking' && spec.maxPicks === Infinity && state.picks.length >= spec.minPicks;
}
