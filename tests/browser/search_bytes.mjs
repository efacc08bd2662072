// Bytes a cold search downloads, and time from keystroke to results:
// node tests/browser/search_bytes.mjs <site_dir> [query…]
// Per query: a fresh browser context (cold cache) opens /search/?q=…; counts the
// bytes the server sent for search.js and search/* (index) until the results
// are shown. Then, on a warm page, types the query and times the last
// keystroke -> results rendered (includes the 150 ms debounce).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve, launchOptions } from './serve.mjs';

const site = process.argv[2];
if (!site) { console.error('usage: node tests/browser/search_bytes.mjs <site_dir> [query…]'); process.exit(2); }
const QUERIES = process.argv.length > 3 ? process.argv.slice(3) : ['リファラル 採用', '交通機', 'alumni', 'Rust エンジニア', '量子コンピュータ'];

function du(dir) {
  let files = 0, bytes = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { const r = du(p); files += r.files; bytes += r.bytes; } else { files++; bytes += fs.statSync(p).size; }
  }
  return { files, bytes };
}
const idx = du(path.join(site, 'search'));
const js = fs.statSync(path.join(site, 'js/search.js')).size;
console.log(`index: ${idx.files} files, ${idx.bytes} bytes (${(idx.bytes / 1e6).toFixed(1)} MB) under search/; search.js ${js} bytes`);

const { url: base, log, close } = await serve(site);
const browser = await chromium.launch(launchOptions());
const settled = () => {
  const root = document.getElementById('search');
  const st = document.querySelector('[data-search-status]');
  return root && !root.hasAttribute('aria-busy') && st && st.textContent !== '' && !/…$/.test(st.textContent);
};
let rc = 0;
try {
  for (const q of QUERIES) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    log.length = 0;
    await page.goto(`${base}/search/?q=${encodeURIComponent(q)}`);
    await page.waitForFunction(settled, null, { timeout: 60000 });
    const status = await page.textContent('[data-search-status]');
    const part = (f) => log.filter(f).reduce((a, r) => a + r.bytes, 0);
    const script = part((r) => r.path.endsWith('/search.js'));
    const manifest = part((r) => r.path.endsWith('/manifest.json'));
    const dict = part((r) => r.path.includes('/search/d/'));
    const post = part((r) => r.path.includes('/search/p/'));
    const recs = part((r) => r.path.includes('/search/r/') || r.path.endsWith('/loc.bin'));
    const reqs = log.filter((r) => r.path.includes('/search/') && !r.path.endsWith('/search/')).length;
    const total = script + manifest + dict + post + recs;
    // Warm: type the query on the loaded page, time keystroke -> results.
    await page.goto(`${base}/search/`);
    await page.waitForLoadState('load');
    await page.fill('#search input[name="q"]', '');
    await page.evaluate(() => {
      window.__t = 0; window.__done = 0;
      const list = document.querySelector('[data-search-status]');
      new MutationObserver(() => { if (!window.__done && window.__t && /\d|ありません|No results/.test(list.textContent) && !document.getElementById('search').hasAttribute('aria-busy')) window.__done = performance.now(); })
        .observe(document.getElementById('search'), { subtree: true, childList: true, characterData: true, attributes: true });
      document.querySelector('#search input[name="q"]').addEventListener('input', () => { window.__t = performance.now(); window.__done = 0; });
    });
    await page.type('#search input[name="q"]', q, { delay: 20 });
    await page.waitForFunction(() => window.__done > 0, null, { timeout: 60000 });
    const ms = await page.evaluate(() => window.__done - window.__t);
    console.log(`${JSON.stringify(q)}: cold ${total} B total = script ${script} + manifest ${manifest} + dictionary ${dict} + postings ${post} + records ${recs} (${reqs} index requests); keystroke->results ${ms.toFixed(0)} ms (150 ms debounce incl.); ${status}`);
    await ctx.close();
  }
} catch (e) {
  console.error(e); rc = 1;
} finally {
  await browser.close();
  await close();
}
process.exit(rc);
