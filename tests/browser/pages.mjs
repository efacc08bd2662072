// Layout checks of issue 18 ("Pages") on a built site, in Debian's Chromium.
//
// usage: node tests/browser/pages.mjs SITE_DIR
//
// - phone_compact_header: at 390x844 the header (logo, search, one scrolling
//   row of navigation) is at most 150 px tall (it was 162-320) on every page type, the search
//   box is on the first screen, the navigation is one row;
// - directory_filter_collapsible: /alumni/'s filter is a <details>, closed
//   (one line) on a phone and open on a desktop, with no script deciding it;
// - layout_shift: cumulative layout shift (PerformanceObserver
//   `layout-shift` entries, as Lighthouse counts them: not after input) stays
//   below 0.01 on /alumni/ (the filter form appears) and /search/?q=… (results
//   arrive), phone and desktop, with scripts and data delayed by DELAY ms
//   (a phone network: what arrives late is what moves the page);
// - header_search_shows_query: on /search/?q=…, the header's box holds the
//   query as text (a query with markup creates no element).
import { serveSite, launchBrowser, blockExternal, firstItemPath, siteDirFromArgs } from './lib/site.mjs';

const dir = siteDirFromArgs('usage: node tests/browser/pages.mjs SITE_DIR');
const QUERY = process.env.PAGES_QUERY || 'カムバック';
const MAX_HEADER = 150;
// Lighthouse's "good" is 0.1; with the space reserved nothing moves at all
// (0 here), and the unreserved pages measured 0.05-0.35: 0.01 catches them.
const MAX_CLS = 0.01;
const DELAY = Number(process.env.PAGES_DELAY || 600);
const failures = [];
const fail = (msg) => {
  failures.push(msg);
  console.error(`FAIL ${msg}`);
};

// Sums layout shifts from the first paint on, like the CLS metric.
const CLS_SCRIPT = () => {
  window.__cls = 0;
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      window.__cls += e.value;
      window.__shifts.push({
        value: e.value,
        nodes: (e.sources || []).map((s) => (s.node && s.node.nodeName ? s.node.nodeName + (s.node.className ? '.' + s.node.className : '') : '?')),
      });
    }
  }).observe({ type: 'layout-shift', buffered: true });
};

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
  for (const c of [phone, desktop]) {
    await blockExternal(c, server.origin);
    // Registered last, so asked first: late scripts and data, then on.
    await c.route(/\/(js\/|search\/.+|alumni\/.+\.json)/, async (route) => {
      await new Promise((ok) => setTimeout(ok, DELAY));
      return route.fallback();
    });
    await c.addInitScript(CLS_SCRIPT);
  }
  const page = await phone.newPage();
  const interview = await firstItemPath(page, server.origin, '/interviews/', '/interviews/');
  const job = await firstItemPath(page, server.origin, '/jobs/', '/jobs/');

  // --- phone_compact_header
  for (const path of ['/', interview, '/jobs/', job, '/alumni/', `/search/?q=${encodeURIComponent(QUERY)}`].filter(Boolean)) {
    await page.goto(server.origin + path, { waitUntil: 'networkidle' });
    const m = await page.evaluate(() => {
      const h = document.querySelector('.site-header').getBoundingClientRect();
      const q = document.getElementById('header-q').getBoundingClientRect();
      const tops = [...document.querySelectorAll('.site-nav li')].map((li) => Math.round(li.getBoundingClientRect().top));
      return { height: h.height, searchBottom: q.bottom, searchWidth: q.width, rows: new Set(tops).size };
    });
    const name = decodeURI(path);
    if (m.height > MAX_HEADER) fail(`phone_compact_header: ${name}: header ${m.height}px > ${MAX_HEADER}px`);
    if (m.searchBottom > 844 || m.searchWidth < 120) fail(`phone_compact_header: ${name}: search box not usable on the first screen (${JSON.stringify(m)})`);
    if (m.rows !== 1) fail(`phone_compact_header: ${name}: navigation in ${m.rows} rows`);
    console.log(`phone_compact_header: ${name}: header ${Math.round(m.height)}px, nav rows ${m.rows}`);
  }

  // --- directory_filter_collapsible
  for (const [name, ctx, wantOpen] of [['phone', phone, false], ['desktop', desktop, true]]) {
    const p = await ctx.newPage();
    await p.goto(server.origin + '/alumni/', { waitUntil: 'networkidle' });
    const m = await p.evaluate(() => {
      const d = document.querySelector('#alumni-filter details');
      const f = document.getElementById('af-name');
      const r = f ? f.getBoundingClientRect() : null;
      return {
        details: !!d,
        fieldVisible: !!(r && r.width > 0 && r.height > 0 && f.checkVisibility()),
        formHeight: document.getElementById('alumni-filter').getBoundingClientRect().height,
        scripts: [...document.scripts].filter((s) => !s.src && s.type !== 'application/json').length,
      };
    });
    if (!m.details) fail(`directory_filter_collapsible: ${name}: no <details> in the filter form`);
    if (m.fieldVisible !== wantOpen) fail(`directory_filter_collapsible: ${name}: filter fields ${m.fieldVisible ? 'shown' : 'hidden'}, want ${wantOpen ? 'shown' : 'hidden'}`);
    if (!wantOpen && m.formHeight > 80) fail(`directory_filter_collapsible: ${name}: closed filter is ${m.formHeight}px tall`);
    if (!wantOpen && m.details) {
      await p.click('#alumni-filter summary');
      if (!(await p.locator('#af-name').isVisible())) fail(`directory_filter_collapsible: ${name}: the summary does not open the filter`);
    }
    console.log(`directory_filter_collapsible: ${name}: fields ${m.fieldVisible ? 'shown' : 'hidden'}, form ${Math.round(m.formHeight)}px`);
    await p.close();
  }

  // --- layout_shift
  for (const [name, ctx] of [['phone', phone], ['desktop', desktop]]) {
    for (const path of ['/alumni/', `/search/?q=${encodeURIComponent(QUERY)}`]) {
      const p = await ctx.newPage();
      await p.goto(server.origin + path, { waitUntil: 'networkidle' });
      if (path.startsWith('/search/')) {
        await p.waitForFunction(() => document.querySelectorAll('[data-search-results] > li').length > 0, null, { timeout: 30000 });
      }
      await p.waitForTimeout(500);
      const m = await p.evaluate(() => ({ cls: window.__cls, shifts: window.__shifts }));
      const label = `layout_shift: ${name} ${decodeURI(path)}: CLS ${m.cls.toFixed(4)}`;
      if (!(m.cls < MAX_CLS)) fail(`${label} >= ${MAX_CLS}: ${JSON.stringify(m.shifts)}`);
      else console.log(label);
      await p.close();
    }
  }

  // --- header_search_shows_query
  const q = '<b id="x">"&採用';
  await page.goto(server.origin + `/search/?q=${encodeURIComponent(q)}`, { waitUntil: 'networkidle' });
  const m = await page.evaluate(() => ({ value: document.getElementById('header-q').value, injected: !!document.getElementById('x') }));
  if (m.value !== q || m.injected) fail(`header_search_shows_query: header box ${JSON.stringify(m)}, want the query as text`);
  else console.log(`header_search_shows_query: ${JSON.stringify(m.value)}`);
  await page.goto(server.origin + '/', { waitUntil: 'load' });
  if ((await page.inputValue('#header-q')) !== '') fail('header_search_shows_query: the home page header box is not empty');
} finally {
  await browser.close();
  await server.close();
}
console.log(`pages: ${failures.length} failure(s)`);
process.exit(failures.length ? 1 : 0);
