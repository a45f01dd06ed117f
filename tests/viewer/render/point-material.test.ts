import { DataTexture, Object3D, PerspectiveCamera, Vector2 } from 'three';
import { describe, expect, it } from 'vitest';
import { classificationName } from '../../../core/classification.ts';
import {
  classTableBytes,
  colourModeIndex,
  COLOUR_MODES,
  ELEVATION_STOPS,
  isColourMode,
  listedClasses,
  rampBytes,
  sampleRamp,
} from '../../../viewer/render/colour-modes.ts';
import { FrameTimer } from '../../../viewer/render/frame-timer.ts';
import { PointMaterial } from '../../../viewer/render/PointMaterial.ts';

describe('colour modes', () => {
  it('numbers the modes as the shader expects and recognises names', () => {
    expect(COLOUR_MODES.map(colourModeIndex)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(isColourMode('change')).toBe(true);
    expect(isColourMode('rainbow')).toBe(false);
  });

  it('samples a ramp at its stops, between them, and clamps outside', () => {
    expect(sampleRamp(ELEVATION_STOPS, 0)).toEqual([40, 60, 200]);
    expect(sampleRamp(ELEVATION_STOPS, 1)).toEqual([220, 50, 40]);
    expect(sampleRamp(ELEVATION_STOPS, -3)).toEqual([40, 60, 200]);
    // Halfway between the 0.5 stop (60,200,90) and the 0.75 stop (240,220,60).
    expect(sampleRamp(ELEVATION_STOPS, 0.625)).toEqual([150, 210, 75]);
    const bytes = rampBytes(ELEVATION_STOPS, 5);
    expect(Array.from(bytes.subarray(8, 12))).toEqual([60, 200, 90, 255]);
  });

  it('hides classes through the alpha of the class table', () => {
    const table = classTableBytes(new Set([2, 7]));
    expect(table.length).toBe(1024);
    expect(table[2 * 4 + 3]).toBe(0);
    expect(table[7 * 4 + 3]).toBe(0);
    expect(table[6 * 4 + 3]).toBe(255);
  });

  it('lists ASPRS classes with core names in both languages', () => {
    const de = listedClasses('de');
    expect(de.find((c) => c.code === 6)?.name).toBe(classificationName(6, { language: 'de' }));
    expect(de.find((c) => c.code === 6)?.name).toBe('Gebäude');
    expect(listedClasses('en').find((c) => c.code === 2)?.name).toBe('Ground');
    expect(listedClasses('de', 'nrw').find((c) => c.code === 20)?.name).toBe('Nicht-Geländepunkte');
    expect(de.some((c) => c.code === 8 || c.code === 12)).toBe(false); // reserved classes are not listed
  });
});

describe('PointMaterial', () => {
  it('keeps the elevation range frame-relative: world heights minus the frame origin, in float64', () => {
    const material = new PointMaterial({ frameOriginZ: 35.123 });
    material.setElevationRange(30, 45.5);
    const range = material.uniforms.uElevationRange!.value as Vector2;
    expect(range.x).toBeCloseTo(30 - 35.123, 12);
    expect(range.y).toBeCloseTo(45.5 - 35.123, 12);
    expect(material.elevationRange).toEqual([30, 45.5]);
    // Moving the frame keeps the world range.
    material.setFrameOriginZ(40);
    expect((material.uniforms.uElevationRange!.value as Vector2).x).toBeCloseTo(-10, 12);
    expect(material.elevationRange).toEqual([30, 45.5]);
  });

  it('switches the colour mode uniform and the class visibility texture', () => {
    const material = new PointMaterial();
    material.setColourMode('classification');
    expect(material.uniforms.uColourMode!.value).toBe(3);
    expect(material.colourMode).toBe('classification');
    material.setClassVisible(2, false);
    const data = (material.uniforms.uClassTable!.value as DataTexture).image.data as Uint8Array;
    expect(data[2 * 4 + 3]).toBe(0);
    expect(material.hidden).toEqual([2]);
    material.setClassVisible(2, true);
    expect(data[2 * 4 + 3]).toBe(255);
  });

  it('sizes points from the node level (root spacing / 2^level) and the projection', () => {
    const material = new PointMaterial({ rootSpacingM: 4 });
    const node = new Object3D();
    node.userData = { key: '3-1-2-0', level: 3, sourceIndex: 1 };
    material.onBeforeRender(undefined, undefined, undefined, undefined, node);
    expect(material.uniforms.uNodeSpacing!.value).toBe(0.5);
    expect(material.uniforms.uSourceIndex!.value).toBe(1);
    const camera = new PerspectiveCamera(60, 1.5, 0.1, 1000);
    material.updateViewport(camera, 800);
    // projection[1][1] = 1 / tan(30°); a metre at unit distance covers that times half the viewport height.
    expect(material.uniforms.uProjScale!.value).toBeCloseTo(400 / Math.tan(Math.PI / 6), 9);
  });

  it('writes brightness, contrast and the change threshold', () => {
    const material = new PointMaterial();
    material.setBrightnessContrast(0.1, 1.5);
    material.setChangeThreshold(0.2);
    expect([material.uniforms.uBrightness!.value, material.uniforms.uContrast!.value, material.uniforms.uChangeThreshold!.value]).toEqual([0.1, 1.5, 0.2]);
  });
});

describe('FrameTimer', () => {
  it('judges the median of continuous frames only and ignores pauses', () => {
    const timer = new FrameTimer(4, 50);
    let t = 0;
    timer.frame(t, false);
    for (const dt of [80, 90, 20, 85]) timer.frame((t += dt), true);
    expect(timer.medianMs).toBe(82.5);
    expect(timer.tooSlow).toBe(true);
    // An idle pause does not count as a slow frame.
    timer.reset();
    timer.frame((t += 5000), false);
    for (const dt of [16, 17, 16]) timer.frame((t += dt), true);
    expect(timer.medianMs).toBeUndefined();
    timer.frame((t += 18), true);
    expect(timer.medianMs).toBe(16.5);
    expect(timer.tooSlow).toBe(false);
  });
});
