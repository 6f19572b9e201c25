/**
 * WebGL compositor: the three I420 planes as LUMINANCE textures, converted to RGB (BT.601, limited
 * range) in the fragment shader, one viewport per tile. For machines with a real GPU only.
 */
import type { Compositor, DrawTarget } from './compositor.js';
import type { Frame } from './frame-channel.js';
import type { Rect } from './tile-geometry.js';

const VS = `attribute vec2 p; varying vec2 uv;
void main() { uv = vec2((p.x + 1.0) * 0.5, (1.0 - p.y) * 0.5); gl_Position = vec4(p, 0.0, 1.0); }`;
const FS = `precision mediump float; varying vec2 uv; uniform sampler2D ty, tu, tv; uniform float dim;
void main() {
  float y = 1.1643 * (texture2D(ty, uv).r - 0.0625);
  float u = texture2D(tu, uv).r - 0.5, v = texture2D(tv, uv).r - 0.5;
  vec3 rgb = clamp(vec3(y + 1.596 * v, y - 0.392 * u - 0.813 * v, y + 2.017 * u), 0.0, 1.0);
  float grey = dot(rgb, vec3(0.299, 0.587, 0.114)) * 0.45;
  gl_FragColor = vec4(mix(rgb, vec3(grey), dim), 1.0);
}`;

function compile(gl: WebGLRenderingContext, type: number, src: string): WebGLShader {
  const s = gl.createShader(type);
  if (!s) throw new Error('WebGL: cannot create shader');
  gl.shaderSource(s, src);
  gl.compileShader(s);
  if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(`WebGL shader: ${gl.getShaderInfoLog(s) ?? 'compile failed'}`);
  return s;
}

export function createWebglCompositor(canvas: HTMLCanvasElement | OffscreenCanvas): Compositor {
  const gl = canvas.getContext('webgl', { alpha: false, antialias: false, depth: false, preserveDrawingBuffer: true }) as WebGLRenderingContext | null;
  if (!gl) throw new Error('WebGL is not available');
  const prog = gl.createProgram()!;
  gl.attachShader(prog, compile(gl, gl.VERTEX_SHADER, VS));
  gl.attachShader(prog, compile(gl, gl.FRAGMENT_SHADER, FS));
  gl.linkProgram(prog);
  if (!gl.getProgramParameter(prog, gl.LINK_STATUS)) throw new Error(`WebGL link: ${gl.getProgramInfoLog(prog) ?? 'failed'}`);
  gl.useProgram(prog);
  const buf = gl.createBuffer();
  gl.bindBuffer(gl.ARRAY_BUFFER, buf);
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
  const loc = gl.getAttribLocation(prog, 'p');
  gl.enableVertexAttribArray(loc);
  gl.vertexAttribPointer(loc, 2, gl.FLOAT, false, 0, 0);
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
  const textures = ['ty', 'tu', 'tv'].map((name, i) => {
    const t = gl.createTexture()!;
    gl.activeTexture(gl.TEXTURE0 + i);
    gl.bindTexture(gl.TEXTURE_2D, t);
    for (const p of [gl.TEXTURE_WRAP_S, gl.TEXTURE_WRAP_T]) gl.texParameteri(gl.TEXTURE_2D, p, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.uniform1i(gl.getUniformLocation(prog, name), i);
    return t;
  });
  const dimLoc = gl.getUniformLocation(prog, 'dim');
  const sizes: Array<[number, number]> = [[0, 0], [0, 0], [0, 0]];
  const flipY = (r: Rect) => canvas.height - r.y - r.h;

  const upload = (i: number, w: number, h: number, data: Uint8Array) => {
    gl.activeTexture(gl.TEXTURE0 + i);
    gl.bindTexture(gl.TEXTURE_2D, textures[i]!);
    const s = sizes[i]!;
    if (s[0] !== w || s[1] !== h) {
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.LUMINANCE, w, h, 0, gl.LUMINANCE, gl.UNSIGNED_BYTE, data);
      s[0] = w; s[1] = h;
    } else {
      gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, w, h, gl.LUMINANCE, gl.UNSIGNED_BYTE, data);
    }
  };

  const fillRect = (r: Rect, red: number, green: number, blue: number) => {
    gl.enable(gl.SCISSOR_TEST);
    gl.scissor(r.x, flipY(r), r.w, r.h);
    gl.clearColor(red, green, blue, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.disable(gl.SCISSOR_TEST);
  };

  return {
    kind: 'webgl',
    paintsI420: false,
    resize(width, height) { canvas.width = width; canvas.height = height; },
    fill(r, rgb) { fillRect(r, ((rgb >> 16) & 255) / 255, ((rgb >> 8) & 255) / 255, (rgb & 255) / 255); },
    draw(frame: Frame, targets: readonly DrawTarget[]) {
      // Pictures decoded by the browser are not handed to this path: WallView asks for host-decoded frames with WebGL.
      if (frame.picture || (frame.layout && frame.layout[0]!.stride !== frame.width)) return false;
      const { width: w, height: h, data } = frame;
      const cw = Math.ceil(w / 2);
      const ch = Math.ceil(h / 2);
      upload(0, w, h, data.subarray(0, w * h));
      upload(1, cw, ch, data.subarray(w * h, w * h + cw * ch));
      upload(2, cw, ch, data.subarray(w * h + cw * ch, w * h + 2 * cw * ch));
      for (const t of targets) {
        if (t.clearBox) fillRect(t.box, 0, 0, 0);
        gl.viewport(t.fit.x, flipY(t.fit), t.fit.w, t.fit.h);
        gl.uniform1f(dimLoc, t.dim ? 1 : 0);
        gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
      }
      return true;
    },
    dispose() {
      for (const t of textures) gl.deleteTexture(t);
      gl.deleteBuffer(buf);
      gl.deleteProgram(prog);
    },
  };
}
