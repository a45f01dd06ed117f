/**
 * The tools' state machine: picks until complete (fixed-count tools on their last pick, open tools on finish),
 * undo/clear/move, the measuring phases with stale answers ignored, and the plan/3D pick checks.
 */
import { describe, expect, it } from 'vitest';
import type { Point3 } from '../../../core/geometry/point3.ts';
import { canFinish, getToolSpec, isComplete, reduceTool, selectTool, TOOL_SPECS, type ToolEvent, type ToolState } from '../../../viewer/tools/tool-state.ts';

const P: Point3[] = [
  [337366.891, 5682472.433, 35.36],
  [337370.12, 5682466.01, 35.41],
  [337372.5, 5682470.2, 35.2],
  [337369.0, 5682474.9, 35.3],
];

function run(state: ToolState, ...events: ToolEvent[]): ToolState {
  return events.reduce(reduceTool, state);
}
const pick = (at: Point3): ToolEvent => ({ type: 'pick', at });

describe('tool state machine', () => {
  it('fixed-count tools complete on their last pick and ignore further picks', () => {
    for (const [kind, n] of [['point', 1], ['distance', 2], ['height', 2], ['spot', 1], ['spot-relative', 2], ['section', 2], ['section-axis', 2], ['clip-box', 2]] as const) {
      let s = selectTool(kind);
      for (let i = 0; i < n - 1; i++) s = reduceTool(s, pick(P[i]!));
      expect(s.phase, kind).toBe('picking');
      s = reduceTool(s, pick(P[n - 1]!));
      // Async tools are complete until the panel asks to measure; sync tools are complete and stay so.
      expect(s.phase, kind).toBe('complete');
      expect(reduceTool(s, pick(P[3]!)).picks.length, kind).toBe(n);
      expect(getToolSpec(kind).maxPicks).toBe(n);
    }
  });

  it('open tools complete on finish once they have enough picks', () => {
    let s = run(selectTool('building'), pick(P[0]!), pick(P[1]!));
    expect(canFinish(s)).toBe(false);
    expect(reduceTool(s, { type: 'finish' }).phase).toBe('picking');
    s = run(s, pick(P[2]!));
    expect(canFinish(s)).toBe(true);
    s = reduceTool(s, { type: 'finish' });
    expect(s.phase).toBe('complete');
    expect(isComplete(s)).toBe(true);
    expect(run(selectTool('polyline'), pick(P[0]!), pick(P[1]!), { type: 'finish' }).phase).toBe('complete');
    expect(run(selectTool('area'), pick(P[0]!), pick(P[1]!), { type: 'finish' }).phase).toBe('picking');
  });

  it('undo drops the last pick and reopens the tool; clear drops all', () => {
    const s = run(selectTool('distance'), pick(P[0]!), pick(P[1]!));
    const u = reduceTool(s, { type: 'undo' });
    expect(u.picks).toEqual([P[0]]);
    expect(u.phase).toBe('picking');
    expect(reduceTool(s, { type: 'clear' }).picks).toEqual([]);
    expect(reduceTool(selectTool('point'), { type: 'undo' }).picks).toEqual([]);
  });

  it('measuring: only async tools, a new request number each time, stale answers ignored', () => {
    expect(run(selectTool('distance'), pick(P[0]!), pick(P[1]!), { type: 'measure' }).phase).toBe('complete');
    let s = run(selectTool('section'), pick(P[0]!), pick(P[1]!), { type: 'measure' });
    expect(s.phase).toBe('measuring');
    expect(s.request).toBe(1);
    expect(reduceTool(s, { type: 'measured', request: 0 }).phase).toBe('measuring');
    s = reduceTool(s, { type: 'measured', request: 1 });
    expect(s.phase).toBe('measured');
    // Re-measure (e.g. after changing the slab width), this time failing.
    s = reduceTool(s, { type: 'measure' });
    expect(s.request).toBe(2);
    expect(reduceTool(s, { type: 'undo' })).toBe(s);
    s = reduceTool(s, { type: 'failed', request: 2, message: 'no points' });
    expect(s.phase).toBe('failed');
    expect(s.error).toBe('no points');
  });

  it('moving a vertex of a measured tool makes it complete again (to be re-measured)', () => {
    const s = run(selectTool('section'), pick(P[0]!), pick(P[1]!), { type: 'measure' }, { type: 'measured', request: 1 });
    const m = reduceTool(s, { type: 'move', index: 1, at: P[2]! });
    expect(m.phase).toBe('complete');
    expect(m.picks).toEqual([P[0], P[2]]);
    expect(reduceTool(s, { type: 'move', index: 5, at: P[2]! })).toBe(s);
  });

  it('plan tools accept E,N without a height; 3D tools refuse it; non-finite plan coordinates are refused', () => {
    const plan: Point3 = [337366.891, 5682472.433, NaN];
    expect(reduceTool(selectTool('building'), pick(plan)).picks).toEqual([plan]);
    expect(() => reduceTool(selectTool('distance'), pick(plan))).toThrow(/Invalid pick: .*needs a height/);
    expect(() => reduceTool(selectTool('section'), pick([NaN, 1, 2]))).toThrow(/Invalid pick/);
    expect(() => selectTool('nope' as never)).toThrow(/Invalid tool: nope/);
    expect(new Set(TOOL_SPECS.map((s) => s.kind)).size).toBe(TOOL_SPECS.length);
  });
});
