// rollcoach's service worker: keeps the app usable offline. Files are served cache-first and
// refreshed in the background; API reads are network-first with the last answer as a fallback;
// API writes, WebSockets and voice are never cached, and neither is /api/health: the page asks it
// whether the server is reachable, so a cached answer would be a lie.
// The pose model's files (/pose/, served from the build) are files like the others: cached when
// first fetched, and all at once when the camera is turned on in settings (a 'cache-pose'
// message), so the camera works offline afterwards. Camera pictures are never fetched or cached:
// they never leave the page.
const CACHE = 'rollcoach-v2';
const SHELL = ['/', '/manifest.webmanifest', '/icon.svg', '/icon-192.png'];
const POSE = ['pose.js', 'pose_web.binarypb', 'pose_solution_packed_assets.data', 'pose_solution_packed_assets_loader.js',
  'pose_solution_simd_wasm_bin.js', 'pose_solution_simd_wasm_bin.wasm', 'pose_solution_wasm_bin.js', 'pose_solution_wasm_bin.wasm'];

self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'cache-pose' || (data.model !== 'lite' && data.model !== 'full')) return;
  const files = [...POSE, `pose_landmark_${data.model}.tflite`].map((f) => `/pose/${f}`);
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(files)).catch(() => {}));
});

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/ws/') || url.pathname.startsWith('/api/voice') || url.pathname.startsWith('/api/export') || url.pathname === '/api/health') return;

  if (url.pathname.startsWith('/api/')) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request).then((cached) => cached || Response.error())),
    );
    return;
  }

  const key = request.mode === 'navigate' ? '/' : request;
  event.respondWith(
    caches.match(key).then((cached) => {
      const refreshed = fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(key, copy));
          }
          return response;
        })
        .catch(() => cached || Response.error());
      return cached || refreshed;
    }),
  );
});
