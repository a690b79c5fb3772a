import { defineConfig } from 'vite';

// The app is served by `rollcoach serve` under a strict Content-Security-Policy: no inline
// scripts or styles, nothing from another origin. `npm run dev` proxies the API to a running
// `rollcoach serve` on port 8080.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
