// Shared helpers for the browser checks: a static server for a built site
// (like any static host: `/x/` -> `x/index.html`, `404.html` with status 404)
// and a headless Debian Chromium. Loopback only; no request leaves the machine.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { resolve, join, extname, sep } from 'node:path';
import { chromium } from 'playwright-core';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.ics': 'text/calendar; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

async function isFile(p) {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** Serve `dir` on 127.0.0.1 at a free port. Returns { origin, close }. */
export async function serveSite(dir) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    let file = resolve(join(root, pathname));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    if (pathname.endsWith('/')) file = join(file, 'index.html');
    else if (!(await isFile(file)) && (await isFile(join(file, 'index.html')))) {
      res.writeHead(301, { Location: pathname + '/' }).end();
      return;
    }
    let status = 200;
    if (!(await isFile(file))) {
      status = 404;
      file = join(root, '404.html');
    }
    try {
      const body = await readFile(file);
      res.writeHead(status, {
        'Content-Type': TYPES[extname(file).toLowerCase()] || 'application/octet-stream',
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Debian's Chromium, headless, with no background network traffic. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * Fail any request that leaves the local server (the spec: no third-party
 * requests). Returns the list of blocked URLs.
 */
export async function blockExternal(context, origin) {
  const blocked = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) {
      return route.continue();
    }
    blocked.push(url);
    return route.abort();
  });
  return blocked;
}

/**
 * The path of the first link in `listPath`'s <main> that leads to a single
 * page under `prefix` (e.g. `/interviews/`): not the list itself, not a
 * pagination page, not a feed or calendar. null if there is none.
 */
export async function firstItemPath(page, origin, listPath, prefix) {
  const resp = await page.goto(origin + listPath, { waitUntil: 'load' });
  if (!resp || resp.status() !== 200) return null;
  const hrefs = await page.$$eval('main a[href]', (as) => as.map((a) => a.href));
  for (const href of hrefs) {
    let u;
    try {
      u = new URL(href);
    } catch {
      continue;
    }
    const p = decodeURI(u.pathname);
    if (!p.startsWith(prefix) || p === prefix) continue;
    const rest = p.slice(prefix.length);
    if (/^(page|archive|tags)\//.test(rest) || /\.(xml|ics|json)$/.test(rest)) continue;
    if (!/^[^/]+\/$/.test(rest)) continue;
    return u.pathname;
  }
  return null;
}

export function siteDirFromArgs(usage) {
  const dir = process.argv[2];
  if (!dir) {
    console.error(usage);
    process.exit(2);
  }
  return dir;
}
