// Loads every page of search results: node tests/browser/search_pages.mjs <site_dir> query…
// For each query, opens /search/?q=…, notes the stated status after the first
// page, presses "more" until it is hidden (at most results/10 + 3 presses) and
// prints one JSON line: {q, first, last, hrefs, moreVisible, presses}.
// tests/search_pages.rs compares that with a grep of the site's content.
import { chromium } from 'playwright-core';
import { serve, launchOptions } from './serve.mjs';

const [site, ...queries] = process.argv.slice(2);
if (!site) { console.error('usage: node tests/browser/search_pages.mjs <site_dir> query…'); process.exit(2); }
const { url: base, close } = await serve(site);
const browser = await chromium.launch(launchOptions());
const page = await browser.newPage();
const settle = () => page.waitForFunction(() => {
  const root = document.getElementById('search');
  const st = document.querySelector('[data-search-status]');
  return root && !root.hasAttribute('aria-busy') && st && st.textContent !== '' && !/…$/.test(st.textContent);
}, null, { timeout: 60000 });
const count = () => page.$$eval('main [data-search-results] > li', (l) => l.length);
try {
  for (const q of queries) {
    await page.goto(`${base}/search/?q=${encodeURIComponent(q)}`);
    await settle();
    const first = await page.textContent('[data-search-status]');
    const stated = Number((/(\d+)/.exec(first) || [0, 0])[1]);
    let presses = 0;
    while (presses < stated / 10 + 3 && await page.isVisible('[data-search-more]')) {
      presses++;
      const before = await count();
      await page.click('[data-search-more]');
      await page.waitForFunction((b) => document.querySelectorAll('[data-search-results] > li').length > b
        || document.querySelector('[data-search-more]').hidden, before, { timeout: 60000 });
      await settle();
    }
    const hrefs = await page.$$eval('main [data-search-results] > li a', (as) => as.map((a) => a.getAttribute('href')));
    console.log(JSON.stringify({
      q, first, last: await page.textContent('[data-search-status]'), hrefs,
      moreVisible: await page.isVisible('[data-search-more]'), presses,
    }));
  }
} finally {
  await browser.close();
  await close();
}
