/**
 * Draws the active tool in the 3D scene: its picks, the line or ring through them, and what the measurement
 * found (the section's ground line; the building's roof planes, Traufpunkt lines and ridge point). World
 * coordinates (float64) become LocalFrame offsets in float64 before the single rounding to float32, so overlays
 * sit on the points to the millimetre at UTM magnitudes. It only reads the tool state and the result; it never
 * measures.
 */
import { BufferAttribute, BufferGeometry, Group, Line, LineBasicMaterial, LineLoop, Points, PointsMaterial, type Object3D } from 'three';
import type { LocalFrame } from '../../core/crs/LocalFrame.ts';
import type { Point3 } from '../../core/geometry/point3.ts';
import type { ToolResult } from './ToolPanel.ts';
import { roofFaceOutlines } from './roof-outlines.ts';
import type { ToolState } from './tool-state.ts';

const CLOSED: ReadonlySet<string> = new Set(['area', 'building', 'clip-polygon']);

/** The overlay group of the tools. */
export class ToolOverlay {
  readonly isToolOverlay = true;
  readonly group = new Group();
  private readonly pickMaterial = new PointsMaterial({ color: 0xffb000, size: 9, sizeAttenuation: false, depthTest: false });
  private readonly lineMaterial = new LineBasicMaterial({ color: 0xffb000, depthTest: false });
  private readonly resultMaterial = new LineBasicMaterial({ color: 0xff3b30, depthTest: false });
  private readonly eaveMaterial = new LineBasicMaterial({ color: 0x00d0ff, depthTest: false });
  private readonly roofMaterial = new LineBasicMaterial({ color: 0xb0ff70, depthTest: false });

  constructor(
    parent: Object3D,
    private readonly frame: LocalFrame,
    private readonly requestFrame: () => void,
  ) {
    this.group.name = 'twinview-tools';
    this.group.renderOrder = 10;
    parent.add(this.group);
  }

  private positions(points: readonly Point3[], fallbackZ: number): Float32Array {
    const out = new Float32Array(points.length * 3);
    points.forEach((p, i) => {
      const local = this.frame.toLocal([p[0], p[1], Number.isFinite(p[2]) ? p[2] : fallbackZ]);
      out.set(local, i * 3);
    });
    return out;
  }

  private geometry(points: readonly Point3[], fallbackZ: number): BufferGeometry {
    const g = new BufferGeometry();
    g.setAttribute('position', new BufferAttribute(this.positions(points, fallbackZ), 3));
    return g;
  }

  /** Redraws from the tool state and its result (undefined while not measured). */
  update(state: ToolState, result: ToolResult | undefined): void {
    for (const child of [...this.group.children]) {
      this.group.remove(child);
      (child as Line).geometry?.dispose();
    }
    const picks = state.picks;
    const known = picks.map((p) => p[2]).filter(Number.isFinite);
    const resultZ = result?.kind === 'spot' ? result.spot.nhn : result?.kind === 'building' ? result.building.result.reference.nhn : result?.kind === 'section' ? result.sections[result.index]?.section.profile[0]?.h : undefined;
    const fallbackZ = known.length ? known[known.length - 1]! : Number.isFinite(resultZ) ? resultZ! : this.frame.origin[2];
    if (picks.length > 0) {
      this.group.add(new Points(this.geometry(picks, fallbackZ), this.pickMaterial));
      if (picks.length >= 2) {
        const closed = CLOSED.has(state.kind) && picks.length >= 3;
        this.group.add(closed ? new LineLoop(this.geometry(picks, fallbackZ), this.lineMaterial) : new Line(this.geometry(picks, fallbackZ), this.lineMaterial));
      }
    }
    if (result?.kind === 'section') {
      for (const s of result.sections) {
        const line = s.section.profile.map((v): Point3 => [v.e, v.n, v.h]);
        if (line.length >= 2) this.group.add(new Line(this.geometry(line, fallbackZ), s === result.sections[result.index] ? this.resultMaterial : this.lineMaterial));
      }
    }
    if (result?.kind === 'building') {
      const d = result.building.result.detail;
      // Roof planes: each over its part of the footprint (the lowest plane is the roof skin).
      for (const face of roofFaceOutlines(result.building.footprint, d.roofPlanes)) this.group.add(new LineLoop(this.geometry(face, fallbackZ), this.roofMaterial));
      for (const [a, b] of d.eaveLines) this.group.add(new Line(this.geometry([a, b], fallbackZ), this.eaveMaterial));
      if (d.ridgeAt) this.group.add(new Points(this.geometry([d.ridgeAt], fallbackZ), this.pickMaterial));
    }
    // Note: the overlay is not a pick target (a scene picker walks every visible Points object).
    for (const child of this.group.children) child.raycast = () => undefined;
    this.requestFrame();
  }

  /** Removes the overlay from the scene. */
  dispose(): void {
    this.group.removeFromParent();
    for (const m of [this.pickMaterial, this.lineMaterial, this.resultMaterial, this.eaveMaterial, this.roofMaterial]) m.dispose();
  }
}
