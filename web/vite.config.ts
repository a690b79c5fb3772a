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

// The app is served by `rollcoach serve` under a strict Content-Security-Policy: no inline
// scripts or styles, nothing from another origin. `npm run dev` proxies the API to a running
// `rollcoach serve` on port 8080.
export default defineConfig({
  plugins: [icons()],
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
