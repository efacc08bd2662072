// Save-to-tab latency of `enishi serve` (issue 18 "serve at 10,000 documents").
//
//   node tests/bench_serve_tab.mjs --bin target/release/enishi --root CORPUS [--edits 10]
//
// Measured the way a person sees it: the time from the write of a body edit
// to the new text being in an open tab's DOM (Chromium, headless, the page
// polled every ~3 ms from here), while a second client polls the same page
// over HTTP (what `tests/bench_serve.py` reports). Prints both medians and the
// tab's share of the gap. The corpus is modified in place (each edit appends
// a line to one news body); regenerate it if byte-identical inputs matter.
// Not run by `cargo test` (needs Chromium and playwright-core: `npm ci`).
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
const { chromium } = createRequire(import.meta.url)('playwright-core');

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
if (!args.bin || !args.root) {
  console.error('usage: node tests/bench_serve_tab.mjs --bin BIN --root CORPUS [--edits N] [--now DATE]');
  process.exit(2);
}
const edits = Number(args.edits || 10);
const now = args.now || '2026-11-22';

const port = await new Promise(res => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => res(p));
  });
});
const child = spawn(args.bin, ['serve', '--root', args.root, '--port', String(port), '--now', now], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
let log = '';
child.stdout.on('data', d => (log += d));
child.stderr.on('data', d => (log += d));
const t_start = Date.now();
while (!log.includes('Serving http://')) {
  if (child.exitCode !== null || Date.now() - t_start > 600_000) {
    console.error(log);
    process.exit(1);
  }
  await new Promise(r => setTimeout(r, 50));
}

function get(p) {
  return new Promise(resolve => {
    const rq = http.get({ host: '127.0.0.1', port, path: p, agent: false }, r => {
      let b = '';
      r.setEncoding('utf8');
      r.on('data', d => (b += d));
      r.on('end', () => resolve({ status: r.statusCode, body: b }));
    });
    rq.on('error', () => resolve({ status: 0, body: '' }));
  });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage();
const files = fs
  .readdirSync(path.join(args.root, 'content/news'))
  .filter(f => f.endsWith('.md'))
  .sort();
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tab = [];
const httpMs = [];
let tried = 0;
for (let i = 0; tab.length < edits && tried < edits * 20; i++) {
  tried++;
  const f = files[(Math.floor(files.length / 3) + i * 7) % files.length];
  const slug = f.replace(/\.md$/, '');
  const url = `/news/${slug}/`;
  if ((await get(url)).status !== 200) continue; // a draft or scheduled post
  await page.goto(`http://127.0.0.1:${port}${url}`);
  await page.waitForTimeout(300); // the live-reload stream is connected
  const marker = `bench-edit-${Date.now()}-${i}`;
  const t0 = performance.now();
  fs.appendFileSync(path.join(args.root, 'content/news', f), `\n\n${marker}\n`);
  let tHttp = null;
  const poller = (async () => {
    while (performance.now() - t0 < 30_000) {
      if ((await get(url)).body.includes(marker)) {
        tHttp = performance.now() - t0;
        return;
      }
    }
  })();
  let tTab = null;
  while (performance.now() - t0 < 30_000) {
    const seen = await page
      .evaluate(m => !!document.body && document.body.textContent.includes(m), marker)
      .catch(() => false); // between two documents during a reload
    if (seen) {
      tTab = performance.now() - t0;
      break;
    }
    await new Promise(r => setTimeout(r, 3));
  }
  await poller;
  if (tTab === null || tHttp === null) {
    console.error(`edit ${i}: not seen within 30 s (tab ${tTab}, http ${tHttp})`);
    continue;
  }
  tab.push(tTab);
  httpMs.push(tHttp);
  console.log(`edit ${tab.length}: tab ${tTab.toFixed(0)} ms, http ${tHttp.toFixed(0)} ms`);
  await page.waitForTimeout(1500); // the deferred search index of this edit
}
await browser.close();
child.kill('SIGINT');
if (tab.length === 0) process.exit(1);
console.log(
  `save->tab ms: median ${median(tab).toFixed(0)}, max ${Math.max(...tab).toFixed(0)}; ` +
    `save->http ms: median ${median(httpMs).toFixed(0)}, max ${Math.max(...httpMs).toFixed(0)} (${tab.length} body edits)`,
);
