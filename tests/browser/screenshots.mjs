// Screenshots and the phone-width check of a built enishi site.
//
// usage: node tests/browser/screenshots.mjs SITE_DIR
//
// - Full-page screenshots of the home page, the first interview, /jobs/,
//   /alumni/ and /search/?q=…
//   at phone (390x844, mobile, touch) and desktop (1280x800) size into
//   target/screenshots/<page>-<phone|desktop>.png (CI artifacts).
// - At phone width, no page of: home, the lists (/interviews/, /news/, /jobs/,
//   /events/), an interview, a job, an event, /alumni/, /search/?q=…, /members/
//   scrolls horizontally (document.documentElement.scrollWidth <= 390, the phone's
//   innerWidth before any zoom-out);
//   the widest offending elements are printed.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { serveSite, launchBrowser, blockExternal, firstItemPath, siteDirFromArgs } from './lib/site.mjs';

const dir = siteDirFromArgs('usage: node tests/browser/screenshots.mjs SITE_DIR');
const OUT = fileURLToPath(new URL('../../target/screenshots/', import.meta.url));
const QUERY = process.env.A11Y_QUERY || 'アルムナイ';
const failures = [];
const fail = (msg) => {
  failures.push(msg);
  console.error(`FAIL ${msg}`);
};

await mkdir(OUT, { recursive: true });
const server = await serveSite(dir);
const browser = await launchBrowser();
try {
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'ja-JP',
  });
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' });
  await blockExternal(phone, server.origin);
  await blockExternal(desktop, server.origin);
  const page = await phone.newPage();

  const interview = await firstItemPath(page, server.origin, '/interviews/', '/interviews/');
  const job = await firstItemPath(page, server.origin, '/jobs/', '/jobs/');
  const enInterview = await firstItemPath(page, server.origin, '/en/interviews/', '/en/interviews/').catch(() => null);
  const event =
    (await firstItemPath(page, server.origin, '/events/', '/events/')) ||
    (await firstItemPath(page, server.origin, '/events/archive/', '/events/'));
  if (!interview) fail('no interview linked from /interviews/');
  if (!job) fail('no job linked from /jobs/');
  if (!event) fail('no event linked from /events/ or /events/archive/');

  // --- screenshots
  const shots = [
    ['home', '/'],
    ['interview', interview],
    ['jobs', '/jobs/'],
    ['job', job],
    ['event', event],
    ['alumni', '/alumni/'],
    ['stats', '/alumni/stats/'],
    ['news', '/news/'],
    ['members', '/members/'],
    // Another language's tree (SPEC "Languages"), when the site has one.
    ['english-home', enInterview ? '/en/' : null],
    ['english-interview', enInterview],
    ['search', `/search/?q=${encodeURIComponent(QUERY)}`],
  ];
  for (const [ctxName, ctx] of [['phone', phone], ['desktop', desktop]]) {
    const p = await ctx.newPage();
    for (const [name, path] of shots) {
      if (!path) continue;
      const resp = await p.goto(server.origin + path, { waitUntil: 'networkidle' });
      if (!resp || resp.status() !== 200) {
        fail(`${name} ${path}: HTTP ${resp ? resp.status() : 'no response'}`);
        continue;
      }
      const file = `${OUT}${name}-${ctxName}.png`;
      await p.screenshot({ path: file, fullPage: true });
      console.log(`screenshot ${file}`);
    }
    await p.close();
  }

  // --- no horizontal scrolling at phone width
  const pages = [
    '/',
    '/interviews/',
    '/news/',
    '/jobs/',
    '/events/',
    interview,
    job,
    event,
    '/alumni/',
    '/alumni/stats/',
    `/search/?q=${encodeURIComponent(QUERY)}`,
    '/members/',
  ].filter(Boolean);
  for (const path of pages) {
    const resp = await page.goto(server.origin + path, { waitUntil: 'networkidle' });
    if (!resp || resp.status() !== 200) {
      fail(`${decodeURI(path)}: HTTP ${resp ? resp.status() : 'no response'}`);
      continue;
    }
    // The phone's width, not window.innerWidth: a mobile browser zooms out
    // on overflowing pages, which widens innerWidth to the overflow.
    const m = await page.evaluate((vw) => {
      const wide = [...document.querySelectorAll('body *')]
        .map((e) => ({ e, r: e.getBoundingClientRect() }))
        .filter(({ r }) => r.right > vw + 0.5 && r.width > 0)
        .sort((a, b) => b.r.right - a.r.right)
        .slice(0, 5)
        .map(({ e, r }) => {
          const cls = typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '';
          return `<${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${cls}> right edge ${Math.round(r.right)}px`;
        });
      return { scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, wide };
    }, page.viewportSize().width);
    if (m.scrollWidth > m.innerWidth) {
      fail(`phone width: ${decodeURI(path)} scrolls horizontally (scrollWidth ${m.scrollWidth} > innerWidth ${m.innerWidth}); widest: ${m.wide.join(', ')}`);
    } else {
      console.log(`phone width: ${decodeURI(path)}: scrollWidth ${m.scrollWidth} <= ${m.innerWidth}`);
    }
  }
  console.log(`screenshots: ${pages.length} pages checked at phone width, ${failures.length} failure(s)`);
} finally {
  await browser.close();
  await server.close();
}
process.exit(failures.length ? 1 : 0);
