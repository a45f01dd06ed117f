import { describe, expect, it } from 'vitest';
import { LocalFrame } from '../../../core/crs/LocalFrame.ts';
import { buildPoints, hasRgb, robustRange } from '../../../viewer/pointcloud/build-points.ts';
import { writeRampColour } from '../../../viewer/pointcloud/elevation-ramp.ts';

/** Three points of a Meerbusch street in EPSG:25832 with millimetre detail. */
const EAST = [337289.601, 337289.602, 337310.25];
const NORTH = [5682380.496, 5682380.497, 5682390.75];
const HEIGHT = [38.123, 38.124, 45.5];
const ORIGIN = [337300, 5682385, 40] as const;
const FRAME = new LocalFrame(ORIGIN);

function columns(rgb?: [number[], number[], number[]]) {
  return {
    count: 3,
    x: Float64Array.from(EAST),
    y: Float64Array.from(NORTH),
    z: Float64Array.from(HEIGHT),
    ...(rgb ? { red: Uint16Array.from(rgb[0]), green: Uint16Array.from(rgb[1]), blue: Uint16Array.from(rgb[2]) } : {}),
  };
}

describe('buildPoints', () => {
  it('stores float32 offsets from the origin, so millimetres survive UTM magnitudes', () => {
    const { points } = buildPoints(columns(), { frame: FRAME });
    const positions = points.geometry.getAttribute('position').array as Float32Array;
    expect(positions).toBeInstanceOf(Float32Array);
    for (let i = 0; i < 3; i++) {
      expect(positions[i * 3]).toBeCloseTo(EAST[i]! - ORIGIN[0], 5);
      expect(positions[i * 3 + 1]).toBeCloseTo(NORTH[i]! - ORIGIN[1], 5);
      expect(positions[i * 3 + 2]).toBeCloseTo(HEIGHT[i]! - ORIGIN[2], 5);
    }
    // The 1 mm step between the first two points is kept (raw UTM northings in float32 would round to 0.5 m).
    expect(positions[4]! - positions[1]!).toBeCloseTo(0.001, 5);
    expect(Math.fround(NORTH[1]!) - Math.fround(NORTH[0]!)).toBe(0);
    expect(points.userData.frame).toBe(FRAME);
  });

  it('uses 16-bit RGB shifted to bytes, and 8-bit RGB as stored', () => {
    const wide = buildPoints(columns([[65535, 256, 0], [0, 32768, 0], [512, 0, 65280]]), { frame: FRAME });
    expect(wide.colourMode).toBe('rgb');
    expect(Array.from(wide.points.geometry.getAttribute('color').array)).toEqual([255, 0, 2, 1, 128, 0, 0, 0, 255]);
    const narrow = buildPoints(columns([[255, 10, 0], [0, 20, 0], [1, 30, 200]]), { frame: FRAME });
    expect(Array.from(narrow.points.geometry.getAttribute('color').array)).toEqual([255, 0, 1, 10, 20, 30, 0, 0, 200]);
    expect(narrow.points.geometry.getAttribute('color').normalized).toBe(true);
  });

  it('colours by elevation when RGB is absent or all black', () => {
    for (const input of [columns(), columns([[0, 0, 0], [0, 0, 0], [0, 0, 0]])]) {
      expect(hasRgb(input)).toBe(false);
      const { points, colourMode } = buildPoints(input, { frame: FRAME, heightRange: [38.123, 45.5] });
      expect(colourMode).toBe('elevation');
      const colour = Array.from(points.geometry.getAttribute('color').array);
      const low = new Uint8Array(3);
      const high = new Uint8Array(3);
      writeRampColour(0, low, 0);
      writeRampColour(1, high, 0);
      expect(colour.slice(0, 3)).toEqual(Array.from(low));
      expect(colour.slice(6, 9)).toEqual(Array.from(high));
    }
  });
});

describe('writeRampColour', () => {
  it('runs from blue at the bottom to red at the top and clamps outside 0..1', () => {
    const at = (t: number): number[] => {
      const out = new Uint8Array(3);
      writeRampColour(t, out, 0);
      return Array.from(out);
    };
    expect(at(0)).toEqual([40, 60, 200]);
    expect(at(-5)).toEqual(at(0));
    expect(at(1)).toEqual([220, 50, 40]);
    expect(at(7)).toEqual(at(1));
    expect(at(0.5)).toEqual([60, 200, 90]);
    // Half way between the first two stops.
    expect(at(0.125)).toEqual([35, 115, 210]);
  });
});

describe('robustRange', () => {
  it('drops the outer 2 % on each side', () => {
    const values = new Float64Array(1000);
    for (let i = 0; i < 1000; i++) values[i] = i;
    values[0] = -1e6; // a noise point far below ground
    values[999] = 1e6; // a bird
    // Sorted: -1e6, 1, 2, …, 998, 1e6; the 2nd and 98th percentile sit at indices floor(0.02·999) = 19 and floor(0.98·999) = 979.
    expect(robustRange(values, 1000)).toEqual([19, 979]);
    expect(robustRange(new Float64Array(0), 0)).toEqual([0, 0]);
  });
});
