// Tiny static server for the browser tests: 127.0.0.1 only, files under
// `root` only, single-range `Range` requests (as static hosts support; off
// with NO_RANGE=1, to test the whole-file fallback), and a
// log of the bytes sent per request (for search_bytes.mjs).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.css': 'text/css', '.bin': 'application/octet-stream',
  '.xml': 'application/xml', '.svg': 'image/svg+xml', '.png': 'image/png',
};

export function serve(root) {
  const log = [];
  const absRoot = path.resolve(root);
  const server = http.createServer((req, res) => {
    let rel;
    try { rel = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { res.writeHead(400); res.end(); return; }
    let file = path.join(absRoot, rel);
    if (!file.startsWith(absRoot + path.sep) && file !== absRoot) { res.writeHead(403); res.end(); return; }
    try { if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html'); } catch { /* 404 below */ }
    let data;
    try { data = fs.readFileSync(file); } catch { res.writeHead(404); res.end('not found'); return; }
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    // NO_RANGE=1 imitates servers without Range support (200 + whole file).
    const m = process.env.NO_RANGE ? null : /^bytes=(\d+)-(\d*)$/.exec(req.headers.range || '');
    let body = data, status = 200;
    const headers = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache' };
    if (m) {
      const start = Number(m[1]);
      const end = Math.min(m[2] ? Number(m[2]) : data.length - 1, data.length - 1);
      if (start >= data.length || end < start) {
        res.writeHead(416, { 'Content-Range': `bytes */${data.length}` }); res.end(); return;
      }
      body = data.subarray(start, end + 1); status = 206;
      headers['Content-Range'] = `bytes ${start}-${end}/${data.length}`;
    }
    headers['Content-Length'] = body.length;
    log.push({ path: rel, bytes: body.length, status, range: req.headers.range || null });
    res.writeHead(status, headers);
    res.end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, log, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

export function launchOptions() {
  return {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  };
}
