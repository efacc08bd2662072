// Browser test of the search page: node tests/browser/search.mjs <site_dir> [query…]
// Serves <site_dir> on 127.0.0.1, opens /search/?q=… in headless Chromium and
// checks, per query, that the results are exactly the indexed documents that
// contain the query (brute force over the stored records, with an independent
// matcher: whole-string NFKC + lower case), ranked title/tag matches first, and
// that nothing leaves the site or runs from index text. Exit code 1 on failure.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve, launchOptions } from './serve.mjs';

const site = process.argv[2];
if (!site) { console.error('usage: node tests/browser/search.mjs <site_dir> [query…]'); process.exit(2); }
const QUERIES = process.argv.length > 3 ? process.argv.slice(3) : [
  '量子コンピュータ', 'コンピ', 'ュータ', '量', 'alum', 'ALUMNI', 'MAU', 'ｍａｕ', 'リファラル', 'ﾘﾌｧﾗﾙ',
  '交通機', '交通 機関', 'Rust エンジニア', 'rustエンジニア', '採用', 'img', '𠮷野家', 'network アルムナイ',
  'お知らせ', '存在しない語句',
];
const BIG = Number(process.env.SEARCH_BIG || 120); // above this many expected results, check the first pages only

// ---- ground truth from the stored records ----
function records(dir) {
  const loc = fs.readFileSync(path.join(dir, 'search/loc.bin'));
  const packs = {};
  const out = [];
  for (let i = 0; i * 12 < loc.length; i++) {
    const pack = loc.readUInt32LE(i * 12), off = loc.readUInt32LE(i * 12 + 4), len = loc.readUInt32LE(i * 12 + 8);
    packs[pack] ??= fs.readFileSync(path.join(dir, `search/r/${pack}.bin`));
    const f = new TextDecoder('utf-16le').decode(packs[pack].subarray(off, off + len)).split('\u001f');
    const tags = f[5] ? f[5].split('\u001e') : [];
    const head = (f[4] + '\n' + tags.join('\n')).normalize('NFKC').toLowerCase();
    const all = (f[4] + '\n' + tags.join('\n') + '\n' + f.slice(6).join(' ')).normalize('NFKC').toLowerCase();
    out.push({ id: i, url: f[0], date: f[2], head, all });
  }
  return out;
}
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々〆〇]+/u;
function terms(q) {
  const n = q.normalize('NFKC').toLowerCase();
  return [...n.matchAll(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々〆〇]+|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々〆〇])[\p{L}\p{N}])+/gu)].map((m) => m[0]);
}
function has(text, t) {
  if (CJK.test(t)) return text.includes(t);
  for (let i = text.indexOf(t); i >= 0; i = text.indexOf(t, i + 1)) {
    const before = text.slice(0, i).match(/.$/su)?.[0] ?? ' ';
    if (!/[\p{L}\p{N}]/u.test(before) || CJK.test(before)) return true;
  }
  return false;
}

const recs = records(site);
const { url: base, log, close } = await serve(site);
const browser = await chromium.launch(launchOptions());
const page = await browser.newPage();
let failures = 0;
const fail = (msg) => { failures++; console.error('FAIL ' + msg); };
page.on('dialog', (d) => { fail('a dialog opened: ' + d.message()); d.dismiss(); });
page.on('pageerror', (e) => fail('page error: ' + e.message));
page.on('request', (r) => { if (!r.url().startsWith(base)) fail('request left the site: ' + r.url()); });

async function settle() {
  await page.waitForFunction(() => {
    const root = document.getElementById('search');
    const st = document.querySelector('[data-search-status]');
    return root && !root.hasAttribute('aria-busy') && st && st.textContent !== '' && !/…$/.test(st.textContent);
  }, null, { timeout: 60000 });
}
async function shown() {
  return page.$$eval('main [data-search-results] > li a', (as) => as.map((a) => a.getAttribute('href')));
}

try {
  for (const q of QUERIES) {
    const ts = terms(q);
    const expected = recs.filter((r) => ts.every((t) => has(r.all, t)));
    const score = (r) => ts.filter((t) => has(r.head, t)).length;
    await page.goto(`${base}/search/?q=${encodeURIComponent(q)}`);
    await settle();
    let got = await shown();
    const big = expected.length > BIG;
    for (let n = 0; !big && n < 100 && await page.isVisible('[data-search-more]'); n++) {
      const before = got.length;
      await page.click('[data-search-more]');
      await page.waitForFunction((b) => document.querySelectorAll('[data-search-results] > li').length > b
        || document.querySelector('[data-search-more]').hidden, before);
      await settle();
      got = await shown();
    }
    const want = new Set(expected.map((r) => r.url));
    const extra = got.filter((u) => !want.has(u));
    if (extra.length) fail(`${q}: shown without the query: ${extra.join(' ')}`);
    if (new Set(got).size !== got.length) fail(`${q}: duplicate results`);
    if (!big) {
      const missing = [...want].filter((u) => !got.includes(u));
      if (missing.length) fail(`${q}: not found: ${missing.join(' ')}`);
    }
    const status = await page.textContent('[data-search-status]');
    if (expected.length && !status.includes(String(expected.length))) fail(`${q}: status "${status}" lacks count ${expected.length}`);
    const byUrl = new Map(expected.map((r) => [r.url, r]));
    const seq = got.map((u) => byUrl.get(u)).filter(Boolean);
    for (let i = 1; i < seq.length; i++) {
      const a = seq[i - 1], b = seq[i];
      if (score(a) < score(b)) fail(`${q}: ${b.url} (title match) ranked below ${a.url}`);
      else if (score(a) === score(b) && a.date && b.date && a.date < b.date) fail(`${q}: older ${a.url} before newer ${b.url}`);
    }
    const marks = await page.$$eval('main [data-search-results] mark', (ms) => ms.length);
    if (got.length && !marks) fail(`${q}: no highlighted match`);
    console.log(`ok ${JSON.stringify(q)}: ${got.length} shown of ${expected.length} expected; ${status}`);
  }
  // Injected markup in index text stays text.
  if (await page.$('main [data-search-results] img, main [data-search-results] script')) fail('index text became markup');
  // Live search: typing updates results and the address.
  await page.goto(`${base}/search/`);
  const label = await page.$eval('#search input[name="q"]', (i) => !!(i.labels && i.labels.length));
  if (!label) fail('search input has no label');
  if (!await page.$('#search [role="status"][aria-live]')) fail('no aria-live status');
  await page.focus('#search input[name="q"]');
  await page.keyboard.type('alum', { delay: 30 });
  await settle();
  const live = await shown();
  if (!live.length) fail('typing "alum" showed no results');
  if (!page.url().includes('q=alum')) fail('address not updated: ' + page.url());
} catch (e) {
  fail(String(e && e.stack || e));
} finally {
  await browser.close();
  await close();
}
console.log(failures ? `${failures} failure(s)` : `all ${QUERIES.length} queries ok (${log.length} requests)`);
process.exit(failures ? 1 : 0);
