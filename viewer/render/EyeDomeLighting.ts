/**
 * Eye-dome lighting as a post pass: the scene is drawn into an offscreen target with a depth texture, then a
 * full-screen quad darkens each pixel by how much its neighbours (at a few pixels' radius) lie in front of it on
 * a logarithmic depth scale. Edges and depth steps get dark outlines, which gives colourless or uniformly coloured
 * point clouds their shape without normals.
 */
import {

  DepthTexture,
  GLSL3,
  Mesh,
  NearestFilter,
  OrthographicCamera,
  PlaneGeometry,
  Scene,
  ShaderMaterial,
  UnsignedIntType,
  Vector2,
  WebGLRenderTarget,
  type Camera,
  type PerspectiveCamera,
  type WebGLRenderer,
} from 'three';

const VERTEX = /* glsl */ `
out vec2 vUv;
void main() {
  vUv = uv;
  gl_Position = vec4(position.xy, 0.0, 1.0);
}
`;

const FRAGMENT = /* glsl */ `
uniform sampler2D uColour;
uniform sampler2D uDepth;
uniform vec2 uTexel;
uniform float uNear;
uniform float uFar;
uniform bool uOrthographic;
uniform float uStrength;
uniform float uRadius;
in vec2 vUv;
out vec4 outColour;

float logDepth(vec2 uv) {
  float d = texture(uDepth, uv).r;
  if (d >= 1.0) return -1.0;
  float viewZ = uOrthographic
    ? uNear + d * (uFar - uNear)
    : (2.0 * uNear * uFar) / (uFar + uNear - (2.0 * d - 1.0) * (uFar - uNear));
  return log2(max(viewZ, 1e-6));
}

void main() {
  vec4 colour = texture(uColour, vUv);
  float centre = logDepth(vUv);
  if (centre < 0.0) { outColour = linearToOutputTexel(colour); return; }
  float sum = 0.0;
  for (int i = 0; i < 8; i++) {
    float a = float(i) * 0.78539816;
    vec2 offset = vec2(cos(a), sin(a)) * uRadius * uTexel;
    float neighbour = logDepth(vUv + offset);
    // Background next to a point counts as far behind it: silhouettes get an outline.
    sum += neighbour < 0.0 ? 1.0 : max(0.0, centre - neighbour);
  }
  float shade = exp(-(sum / 8.0) * 300.0 * uStrength);
  outColour = linearToOutputTexel(vec4(colour.rgb * shade, 1.0));
}
`;

/** The EDL pass; call {@link EyeDomeLighting.begin} before drawing the scene and {@link EyeDomeLighting.finish} after. */
export class EyeDomeLighting {
  readonly isEyeDomeLighting = true;
  /** Darkening strength (1 = default). */
  strength = 1;
  /** Neighbour distance, pixels. */
  radiusPx = 1.4;
  private readonly target: WebGLRenderTarget;
  private readonly quadScene = new Scene();
  private readonly quadCamera = new OrthographicCamera(-1, 1, 1, -1, 0, 1);
  private readonly material: ShaderMaterial;

  constructor() {
    this.target = new WebGLRenderTarget(1, 1, { minFilter: NearestFilter, magFilter: NearestFilter });
    this.target.depthTexture = new DepthTexture(1, 1, UnsignedIntType);
    this.material = new ShaderMaterial({
      glslVersion: GLSL3,
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      depthTest: false,
      depthWrite: false,
      uniforms: {
        uColour: { value: this.target.texture },
        uDepth: { value: this.target.depthTexture },
        uTexel: { value: new Vector2(1, 1) },
        uNear: { value: 0.1 },
        uFar: { value: 1000 },
        uOrthographic: { value: false },
        uStrength: { value: 1 },
        uRadius: { value: 1.4 },
      },
    });
    this.quadScene.add(new Mesh(new PlaneGeometry(2, 2), this.material));
  }

  /** Resizes the offscreen target to the drawing buffer and directs the renderer's draws into it. */
  begin(renderer: WebGLRenderer): void {
    const size = renderer.getDrawingBufferSize(_size);
    if (this.target.width !== size.x || this.target.height !== size.y) this.target.setSize(size.x, size.y);
    renderer.setRenderTarget(this.target);
  }

  /** Draws the shaded image to the canvas. */
  finish(renderer: WebGLRenderer, camera: Camera): void {
    const u = this.material.uniforms;
    (u.uTexel!.value as Vector2).set(1 / this.target.width, 1 / this.target.height);
    const projected = camera as PerspectiveCamera | OrthographicCamera;
    u.uNear!.value = projected.near;
    u.uFar!.value = projected.far;
    u.uOrthographic!.value = (camera as OrthographicCamera).isOrthographicCamera === true;
    u.uStrength!.value = this.strength;
    u.uRadius!.value = this.radiusPx;
    renderer.setRenderTarget(null);
    const scissor = renderer.getScissorTest();
    renderer.setScissorTest(false);
    renderer.render(this.quadScene, this.quadCamera);
    renderer.setScissorTest(scissor);
  }

  /** Releases the target and the quad. */
  dispose(): void {
    this.target.depthTexture?.dispose();
    this.target.dispose();
    this.material.dispose();
  }
}

const _size = new Vector2();
