import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
// @ts-expect-error: a plain .mjs build script without type declarations
import { renderIcons } from './scripts/icons.mjs';

// The PNG icons (Android, maskable, iOS) are rendered from public/icon.svg at build time.
function icons(): Plugin {
  return {
    name: 'rollcoach-icons',
    apply: 'build',
    generateBundle() {
      for (const icon of renderIcons() as { fileName: string; source: Uint8Array }[])
        this.emitFile({ type: 'asset', fileName: icon.fileName, source: icon.source });
    },
  };
}

// The pose model (@mediapipe/pose: its loader script, wasm, packed assets and the lite and full
// models) is copied into dist/pose/ so that `rollcoach serve` serves it from the build: never a
// CDN. The heavy model (28 MB, 3x slower here) is left out. `npm run dev` serves the same files.
export const poseFiles = [
  'pose.js', 'pose_web.binarypb', 'pose_solution_packed_assets.data', 'pose_solution_packed_assets_loader.js',
  'pose_solution_simd_wasm_bin.js', 'pose_solution_simd_wasm_bin.wasm', 'pose_solution_simd_wasm_bin.data',
  'pose_solution_wasm_bin.js', 'pose_solution_wasm_bin.wasm', 'pose_landmark_lite.tflite', 'pose_landmark_full.tflite',
];
function poseAssets(): Plugin {
  const dir = dirname(createRequire(import.meta.url).resolve('@mediapipe/pose/package.json'));
  return {
    name: 'rollcoach-pose-assets',
    generateBundle() {
      for (const file of poseFiles) this.emitFile({ type: 'asset', fileName: `pose/${file}`, source: readFileSync(join(dir, file)) });
    },
    configureServer(server) {
      server.middlewares.use('/pose/', (req, res, next) => {
        const name = (req.url ?? '').split('?')[0].replace(/^\//, '');
        if (!poseFiles.includes(name)) return next();
        res.setHeader('content-type', name.endsWith('.js') ? 'text/javascript' : name.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream');
        res.end(readFileSync(join(dir, name)));
      });
    },
  };
}

// The app is served by `rollcoach serve` under a strict Content-Security-Policy: no inline
// scripts or styles, nothing from another origin. `npm run dev` proxies the API to a running
// `rollcoach serve` on port 8080.
export default defineConfig({
  plugins: [icons(), poseAssets()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    // The server accepts only its own Host and Origin (DNS-rebinding defence), so the proxy
    // presents the server's, not the dev page's.
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: true, headers: { origin: 'http://127.0.0.1:8080' } },
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true, changeOrigin: true, headers: { origin: 'http://127.0.0.1:8080' } },
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
