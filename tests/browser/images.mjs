// Image bytes of a page on a phone (issue 20's acceptance): headless
// Chromium at 390 px wide, DPR 2, loads PAGE (default: every interview of
// the site), scrolls to the bottom so that lazy images load too, and sums
// the bytes of every image response. Fails above LIMIT_KB (default 200), or
// when an <img> has no width/height or its picked file is much wider than
// its box needs (a sizes/srcset mistake).
//
//   node tests/browser/images.mjs SITE_DIR [PAGE…]
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveSite, launchBrowser, blockExternal, siteDirFromArgs } from './lib/site.mjs';

const dir = siteDirFromArgs('usage: node tests/browser/images.mjs SITE_DIR [PAGE…] (SITE_DIR: a built site)');
const LIMIT = Number(process.env.LIMIT_KB || 200) * 1024;

let pages = process.argv.slice(3);
if (pages.length === 0) {
  const d = join(dir, 'interviews');
  pages = existsSync(d)
    ? readdirSync(d, { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join(d, e.name, 'index.html')) && !/^page$|^\d+$/.test(e.name))
        // Not the redirects of old paths (`aliases`).
        .filter((e) => !/http-equiv="refresh"/.test(readFileSync(join(d, e.name, 'index.html'), 'utf8')))
        .map((e) => `/interviews/${encodeURIComponent(e.name)}/`)
        .sort()
    : [];
}
if (pages.length === 0) {
  console.error(`${dir}: no interview pages`);
  process.exit(2);
}

const site = await serveSite(dir);
const browser = await launchBrowser();
let failed = 0;
try {
  for (const path of pages) {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await blockExternal(context, site.origin);
    const page = await context.newPage();
    const images = [];
    page.on('response', async (r) => {
      if (r.request().resourceType() !== 'image') return;
      try {
        images.push({ url: new URL(r.url()).pathname, bytes: (await r.body()).length });
      } catch {
        /* a response without a body (e.g. aborted) */
      }
    });
    await page.goto(site.origin + path, { waitUntil: 'load' });
    // Lazy images: scroll through the page, then let them arrive.
    await page.evaluate(async () => {
      for (let y = 0; y < document.body.scrollHeight; y += 400) {
        window.scrollTo(0, y);
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    await page.waitForLoadState('networkidle');
    const imgs = await page.$$eval('img', (els) =>
      els.map((i) => ({
        src: i.currentSrc,
        attrW: i.getAttribute('width'),
        attrH: i.getAttribute('height'),
        box: i.getBoundingClientRect().width,
        natural: i.naturalWidth,
      })),
    );
    const total = images.reduce((a, i) => a + i.bytes, 0);
    const problems = [];
    if (total > LIMIT) problems.push(`${(total / 1024).toFixed(1)} KB of images > ${LIMIT / 1024} KB`);
    for (const i of imgs) {
      if (!i.attrW || !i.attrH) problems.push(`no width/height: ${i.src}`);
      // Picked file wider than twice what the box needs at DPR 2 (and not
      // the smallest size there is).
      if (i.natural > 0 && i.box > 0 && i.natural > i.box * 2 * 2 && i.natural > 480) {
        problems.push(`${i.src}: ${i.natural} px wide for a ${i.box.toFixed(0)} px box`);
      }
    }
    console.log(
      `${decodeURIComponent(path)}: ${images.length} images, ${(total / 1024).toFixed(1)} KB` +
        images.map((i) => `\n  ${(i.bytes / 1024).toFixed(1)} KB ${i.url}`).join(''),
    );
    for (const p of problems) console.log(`  FAIL ${p}`);
    failed += problems.length;
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
}
process.exit(failed ? 1 : 0);
