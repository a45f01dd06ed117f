/**
 * The point material (WebGL2, GLSL 3) shared by every node mesh: adaptive round points and the colour modes RGB,
 * intensity, elevation, classification (with per-class visibility), GPS time, drive/epoch and change, followed by
 * brightness and contrast.
 *
 * Precision: node meshes hold float32 positions relative to their node centre and sit at that centre in a scene
 * whose origin is the LocalFrame origin. Every height the shader compares is therefore frame-relative
 * (`modelMatrix * position`), and {@link PointMaterial.setElevationRange} takes world heights (m NHN, float64) and
 * subtracts the frame origin on the CPU; no raw UTM value ever reaches float32.
 *
 * @example
 * const material = new PointMaterial({ frameOriginZ: frame.origin[2] });
 * material.setColourMode('elevation');
 * material.setElevationRange(30, 45); // m NHN
 * entity.setMaterial(material);
 */
import {
  Color,
  DataTexture,
  GLSL3,
  LinearFilter,
  NearestFilter,
  RGBAFormat,
  ShaderMaterial,
  UnsignedByteType,
  Vector2,
  type Camera,
  type Object3D,
} from 'three';
import {
  CHANGE_STOPS,
  classTableBytes,
  colourModeIndex,
  ELEVATION_STOPS,
  rampBytes,
  SOURCE_COLOURS,
  TIME_STOPS,
  type ColourMode,
} from './colour-modes.ts';

/** Options for {@link PointMaterial}. */
export interface PointMaterialOptions {
  /** Height of the LocalFrame origin, m NHN (float64): subtracted from world heights before they become uniforms. */
  readonly frameOriginZ?: number;
  /** Spacing of the root node's points, metres (COPC info `spacing`); level L has spacing / 2^L. */
  readonly rootSpacingM?: number;
}

const VERTEX = /* glsl */ `
in vec3 color;
in float intensity;
in float classification;
in float gpsTime;
in float change;

uniform int uColourMode;
uniform float uNodeSpacing;
uniform float uSizeScale;
uniform float uMinSizePx;
uniform float uMaxSizePx;
uniform float uProjScale;
uniform vec2 uElevationRange;
uniform vec2 uIntensityRange;
uniform vec2 uTimeRange;
uniform float uChangeThreshold;
uniform int uSourceIndex;
uniform vec3 uSourceColours[8];
uniform sampler2D uElevationRamp;
uniform sampler2D uTimeRamp;
uniform sampler2D uChangeRamp;
uniform sampler2D uClassTable;

out vec3 vColour;

void main() {
  vec4 framePosition = modelMatrix * vec4(position, 1.0);
  vec4 mvPosition = viewMatrix * framePosition;
  gl_Position = projectionMatrix * mvPosition;

  vec4 classEntry = texture(uClassTable, vec2((classification + 0.5) / 256.0, 0.5));
  if (classEntry.a < 0.5) {
    // A hidden class: place the point outside the clip volume so it is never rasterised.
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    gl_PointSize = 0.0;
    vColour = vec3(0.0);
    return;
  }

  // Adaptive size: the node's point spacing (metres) projected to pixels, clamped.
  float size = uNodeSpacing * uSizeScale * uProjScale;
  if (!isOrthographic) size /= max(-mvPosition.z, 1e-3);
  gl_PointSize = clamp(size, uMinSizePx, uMaxSizePx);

  vec3 c = color;
  if (uColourMode == 1) {
    float t = clamp((intensity - uIntensityRange.x) / max(uIntensityRange.y - uIntensityRange.x, 1.0), 0.0, 1.0);
    c = vec3(pow(t, 0.6));
  } else if (uColourMode == 2) {
    float t = (framePosition.z - uElevationRange.x) / max(uElevationRange.y - uElevationRange.x, 1e-3);
    c = texture(uElevationRamp, vec2(clamp(t, 0.0, 1.0), 0.5)).rgb;
  } else if (uColourMode == 3) {
    c = classEntry.rgb;
  } else if (uColourMode == 4) {
    float t = (gpsTime - uTimeRange.x) / max(uTimeRange.y - uTimeRange.x, 1e-6);
    c = texture(uTimeRamp, vec2(clamp(t, 0.0, 1.0), 0.5)).rgb;
  } else if (uColourMode == 5) {
    c = uSourceColours[uSourceIndex - 8 * (uSourceIndex / 8)];
  } else if (uColourMode == 6) {
    if (change < 0.0) {
      c = vec3(0.33);
    } else {
      // Note: a coarse node is compared with the other epoch at a comparable level, where two samplings of the same
      // surface lie up to about one spacing apart; the threshold grows with the node's spacing so only real change
      // (a storey, a pothole at close range) turns yellow to red.
      float threshold = max(uChangeThreshold, uNodeSpacing);
      c = texture(uChangeRamp, vec2(clamp(change / (2.0 * threshold), 0.0, 1.0), 0.5)).rgb;
    }
  }
  vColour = c;
}
`;

const FRAGMENT = /* glsl */ `
uniform float uBrightness;
uniform float uContrast;
in vec3 vColour;
out vec4 outColour;

void main() {
  vec2 d = gl_PointCoord - vec2(0.5);
  if (dot(d, d) > 0.25) discard;
  vec3 c = clamp((vColour - 0.5) * uContrast + 0.5 + uBrightness, 0.0, 1.0);
  // Note: colours are sRGB bytes; go to linear and let three encode for the target (the canvas gets sRGB back
  // unchanged, the EDL target keeps linear values like the scene background).
  outColour = linearToOutputTexel(sRGBTransferEOTF(vec4(c, 1.0)));
}
`;

function rampTexture(bytes: Uint8Array): DataTexture {
  const texture = new DataTexture(bytes, bytes.length / 4, 1, RGBAFormat, UnsignedByteType);
  texture.magFilter = LinearFilter;
  texture.minFilter = LinearFilter;
  texture.needsUpdate = true;
  return texture;
}

/** Default on-screen size limits of a point, pixels. */
export const MIN_POINT_SIZE_PX = 1.5;
export const MAX_POINT_SIZE_PX = 24;

/** Default change threshold, metres: distances beyond it turn yellow to red (between the 10 and 20 cm). */
export const DEFAULT_CHANGE_THRESHOLD_M = 0.15;

/** The shared point material; see the module comment. */
export class PointMaterial extends ShaderMaterial {
  readonly isPointMaterial = true;
  /** Height of the LocalFrame origin, m NHN. */
  frameOriginZ: number;
  /** Root spacing, metres. */
  rootSpacingM: number;
  private mode: ColourMode = 'rgb';
  private readonly hiddenClasses = new Set<number>();
  private elevationWorld: [number, number] = [0, 100];

  constructor(options: PointMaterialOptions = {}) {
    const classTable = new DataTexture(classTableBytes(new Set()), 256, 1, RGBAFormat, UnsignedByteType);
    classTable.magFilter = NearestFilter;
    classTable.minFilter = NearestFilter;
    classTable.needsUpdate = true;
    super({
      glslVersion: GLSL3,
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      uniforms: {
        uColourMode: { value: 0 },
        uNodeSpacing: { value: 1 },
        uSizeScale: { value: 1 },
        uMinSizePx: { value: MIN_POINT_SIZE_PX },
        uMaxSizePx: { value: MAX_POINT_SIZE_PX },
        uProjScale: { value: 400 },
        uElevationRange: { value: new Vector2(0, 100) },
        uIntensityRange: { value: new Vector2(0, 65535) },
        uTimeRange: { value: new Vector2(0, 1) },
        uChangeThreshold: { value: DEFAULT_CHANGE_THRESHOLD_M },
        uSourceIndex: { value: 0 },
        uSourceColours: { value: SOURCE_COLOURS.map(([r, g, b]) => new Color(r / 255, g / 255, b / 255)) },
        uElevationRamp: { value: rampTexture(rampBytes(ELEVATION_STOPS)) },
        uTimeRamp: { value: rampTexture(rampBytes(TIME_STOPS)) },
        uChangeRamp: { value: rampTexture(rampBytes(CHANGE_STOPS)) },
        uClassTable: { value: classTable },
        uBrightness: { value: 0 },
        uContrast: { value: 1 },
      },
    });
    this.frameOriginZ = options.frameOriginZ ?? 0;
    this.rootSpacingM = options.rootSpacingM ?? 1;
    this.setElevationRange(this.frameOriginZ, this.frameOriginZ + 20);
  }

  /** The current colour mode. */
  get colourMode(): ColourMode {
    return this.mode;
  }

  /** Switches the colour mode. */
  setColourMode(mode: ColourMode): void {
    this.mode = mode;
    this.uniforms.uColourMode!.value = colourModeIndex(mode);
    this.uniformsNeedUpdate = true;
  }

  /** Sets the elevation ramp's range from world heights, m NHN (float64); stored frame-relative. */
  setElevationRange(lowM: number, highM: number): void {
    this.elevationWorld = [lowM, highM];
    (this.uniforms.uElevationRange!.value as Vector2).set(lowM - this.frameOriginZ, highM - this.frameOriginZ);
    this.uniformsNeedUpdate = true;
  }

  /** The elevation ramp's range, world heights m NHN. */
  get elevationRange(): readonly [number, number] {
    return this.elevationWorld;
  }

  /** Moves the frame origin height (keeps the world elevation range). */
  setFrameOriginZ(originZ: number): void {
    this.frameOriginZ = originZ;
    this.setElevationRange(...this.elevationWorld);
  }

  /** Intensity range mapped to black..white (raw 16-bit values). */
  setIntensityRange(low: number, high: number): void {
    (this.uniforms.uIntensityRange!.value as Vector2).set(low, high);
    this.uniformsNeedUpdate = true;
  }

  /** GPS time range of the ramp, seconds relative to the source's time start. */
  setTimeRange(lowS: number, highS: number): void {
    (this.uniforms.uTimeRange!.value as Vector2).set(lowS, highS);
    this.uniformsNeedUpdate = true;
  }

  /** Change distance, metres, from which points turn from grey to yellow/red. */
  setChangeThreshold(metres: number): void {
    this.uniforms.uChangeThreshold!.value = metres;
    this.uniformsNeedUpdate = true;
  }

  /** Shows or hides a classification value (0-255). */
  setClassVisible(code: number, visible: boolean): void {
    if (visible) this.hiddenClasses.delete(code);
    else this.hiddenClasses.add(code);
    const texture = this.uniforms.uClassTable!.value as DataTexture;
    (texture.image.data as Uint8Array).set(classTableBytes(this.hiddenClasses));
    texture.needsUpdate = true;
  }

  /** The hidden classes, ascending. */
  get hidden(): number[] {
    return [...this.hiddenClasses].sort((a, b) => a - b);
  }

  /** Brightness (-1..1, added) and contrast (0..3, factor around mid-grey). */
  setBrightnessContrast(brightness: number, contrast: number): void {
    this.uniforms.uBrightness!.value = brightness;
    this.uniforms.uContrast!.value = contrast;
    this.uniformsNeedUpdate = true;
  }

  /** Multiplies the adaptive point size. */
  setSizeScale(scale: number): void {
    this.uniforms.uSizeScale!.value = scale;
    this.uniformsNeedUpdate = true;
  }

  /**
   * Per frame: the factor from metres at unit distance to pixels (projection[1][1] · viewport height / 2), so that
   * a node's spacing becomes its on-screen point size.
   */
  updateViewport(camera: Camera, viewportHeightPx: number): void {
    this.uniforms.uProjScale!.value = camera.projectionMatrix.elements[5]! * viewportHeightPx * 0.5;
    this.uniformsNeedUpdate = true;
  }

  /** Per object: the node's spacing from its level and its source index for the epoch colours. */
  override onBeforeRender(_renderer: unknown, _scene: unknown, _camera: unknown, _geometry: unknown, object: Object3D): void {
    const level = typeof object.userData.level === 'number' ? object.userData.level : 0;
    const spacing = typeof object.userData.spacingM === 'number' ? object.userData.spacingM : this.rootSpacingM / 2 ** level;
    this.uniforms.uNodeSpacing!.value = spacing;
    this.uniforms.uSourceIndex!.value = typeof object.userData.sourceIndex === 'number' ? object.userData.sourceIndex : 0;
    // Note: three uploads a shared material's uniforms once per program switch; force it per node mesh.
    this.uniformsNeedUpdate = true;
  }

  override dispose(): void {
    for (const name of ['uElevationRamp', 'uTimeRamp', 'uChangeRamp', 'uClassTable']) {
      (this.uniforms[name]!.value as DataTexture).dispose();
    }
    super.dispose();
  }
}
