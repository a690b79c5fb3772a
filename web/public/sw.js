// rollcoach's service worker: keeps the app usable offline. Files are served cache-first and
// refreshed in the background; API reads are network-first with the last answer as a fallback;
// API writes, WebSockets and voice are never cached, and neither is /api/health: the page asks it
// whether the server is reachable, so a cached answer would be a lie.
const CACHE = 'rollcoach-v2';
const SHELL = ['/', '/manifest.webmanifest', '/icon.svg', '/icon-192.png'];

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
