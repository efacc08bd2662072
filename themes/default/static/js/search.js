/* enishi search: reads the split index written by src/search.rs.
 * normalize/tokenize mirror the Rust functions of the same names exactly.
 * Index text is only ever put in the page through textContent. */
(function () {
  'use strict';

  // ---- normalisation and tokenisation (mirror of src/search.rs) ----
  var ATTACH = /[\p{M}\uFF9E\uFF9F\u1160-\u11FF]/u;
  var WORD = /[\p{Alphabetic}\p{N}]/u;

  function units(s) {
    var out = [];
    for (var ch of s) {
      if (out.length && ATTACH.test(ch)) out[out.length - 1] += ch;
      else out.push(ch);
    }
    return out;
  }
  function normUnit(u) { return u.normalize('NFKC').toLowerCase(); }
  function normalize(s) { return units(s).map(normUnit).join(''); }

  function isCjk(cp) {
    return (cp >= 0x3005 && cp <= 0x3007) || (cp >= 0x3041 && cp <= 0x3096) ||
      (cp >= 0x309D && cp <= 0x309F) || (cp >= 0x30A1 && cp <= 0x30FA) ||
      (cp >= 0x30FC && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
      (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0x20000 && cp <= 0x3FFFF);
  }
  function kindOf(ch) {
    if (isCjk(ch.codePointAt(0))) return 'c';
    return WORD.test(ch) ? 'w' : null;
  }
  /* Splits normalised text into words ('w') and CJK runs ('c'). */
  function tokenize(n) {
    var out = [], cur = '', kind = null;
    for (var ch of n) {
      var k = kindOf(ch);
      if (k !== kind) {
        if (kind) out.push({ text: cur, kind: kind });
        cur = ''; kind = k;
      }
      if (k) cur += ch;
    }
    if (kind) out.push({ text: cur, kind: kind });
    return out;
  }

  var api = { normalize: normalize, tokenize: tokenize };
  if (typeof window === 'undefined') { // node: export for tests
    if (typeof module !== 'undefined') module.exports = api;
    return;
  }
  window.enishiSearch = api;

  var root = document.getElementById('search');
  if (!root || !window.fetch) return;
  var base = root.getAttribute('data-index') || '/search/';
  if (base.charAt(base.length - 1) !== '/') base += '/';
  var form = root.querySelector('form');
  var input = root.querySelector('input[name="q"]');
  var status = root.querySelector('[data-search-status]');
  var list = root.querySelector('[data-search-results]');
  var moreBtn = root.querySelector('[data-search-more]');
  if (!input || !status || !list) return;

  var en = /^en/i.test(document.documentElement.lang || '');
  var LABELS = en
    ? { interview: 'Interview', news: 'News', job: 'Job', event: 'Event', page: 'Page', alumni: 'Alumni' }
    : { interview: 'インタビュー', news: 'ニュース', job: '求人', event: 'イベント', page: 'ページ', alumni: 'アルムナイ' };
  try {
    var custom = JSON.parse(root.getAttribute('data-labels') || '{}');
    for (var k in custom) if (typeof custom[k] === 'string') LABELS[k] = custom[k];
  } catch (e) { /* keep defaults */ }
  var MSG = en ? {
    count: function (n, q) { return n + (n === 1 ? ' result' : ' results') + ' for “' + q + '”'; },
    none: function (q) { return 'No results for “' + q + '”'; },
    loading: 'Searching…', error: 'The search index could not be loaded.'
  } : {
    count: function (n, q) { return '「' + q + '」の検索結果: ' + n + '件'; },
    none: function (q) { return '「' + q + '」に一致するページはありません'; },
    loading: '検索しています…', error: '検索インデックスを読み込めませんでした。'
  };
  var PAGE = 10, FIRST_BYTES = 1200;

  // ---- fetching (Range requests into packs; whole file if unsupported) ----
  var jsonCache = {}, whole = {};
  function getJSON(path) {
    if (!jsonCache[path]) {
      jsonCache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ': ' + r.status);
        return r.json();
      });
      jsonCache[path].catch(function () { delete jsonCache[path]; });
    }
    return jsonCache[path];
  }
  // Whether the server honours Range: unknown until the first answer, which
  // the other requests wait for, so that a server without Range support is
  // asked for each pack once (whole), not once per wanted slice.
  var rangeOk, probe = null;
  function wholeFile(path) {
    if (!whole[path]) {
      whole[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ': ' + r.status);
        return r.arrayBuffer();
      }).then(function (b) { return new Uint8Array(b); });
      whole[path].catch(function () { delete whole[path]; });
    }
    return whole[path];
  }
  function getRange(path, start, len) {
    if (len <= 0) return Promise.resolve(new Uint8Array(0));
    function slice(b) { return b.subarray(start, start + len); }
    if (whole[path] || rangeOk === false) return wholeFile(path).then(slice);
    if (rangeOk === undefined && probe) return probe.then(function () { return getRange(path, start, len); });
    var p = fetch(base + path, { headers: { Range: 'bytes=' + start + '-' + (start + len - 1) } })
      .then(function (r) {
        if (r.status === 206) {
          rangeOk = true;
          return r.arrayBuffer().then(function (b) { return new Uint8Array(b); });
        }
        if (!r.ok) throw new Error(path + ': ' + r.status);
        rangeOk = false;
        whole[path] = r.arrayBuffer().then(function (b) { return new Uint8Array(b); });
        return whole[path].then(slice);
      });
    if (rangeOk === undefined) probe = p.then(function () {}, function () {});
    return p;
  }

  // ---- dictionary ----
  var blockCache = {};
  function manifest() { return getJSON('manifest.json'); }
  function blockIndex(m, key) { // last block whose first key <= key
    var lo = 0, hi = m.blocks.length - 1, ans = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (m.blocks[mid] <= key) { ans = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return ans;
  }
  function block(i) {
    if (!blockCache[i]) {
      blockCache[i] = getJSON('d/' + i + '.json').then(function (b) {
        var off = b.o, entries = [];
        for (var e of b.t) {
          entries.push({ key: e[0], pack: b.p, off: off, dl: e[1], tl: e[2], ml: e[3] });
          off += e[1] + e[2] + e[3];
        }
        return entries;
      });
    }
    return blockCache[i];
  }
  function lookup(m, key) {
    var i = blockIndex(m, key);
    if (i < 0) return Promise.resolve(null);
    return block(i).then(function (es) {
      for (var e of es) if (e.key === key) return e;
      return null;
    });
  }
  function lookupPrefix(m, prefix) {
    var start = Math.max(0, blockIndex(m, prefix)), idx = [start];
    for (var i = start + 1; i < m.blocks.length && m.blocks[i].startsWith(prefix); i++) idx.push(i);
    return Promise.all(idx.map(block)).then(function (bs) {
      var out = [];
      for (var es of bs) for (var e of es) if (e.key.startsWith(prefix)) out.push(e);
      return out;
    });
  }

  // ---- postings ----
  function Reader(b) { this.b = b; this.i = 0; }
  Reader.prototype.varint = function () {
    var v = 0, shift = 0, x;
    do { x = this.b[this.i++]; v += (x & 0x7f) * Math.pow(2, shift); shift += 7; } while (x & 0x80);
    return v;
  };
  function readIds(r) {
    var n = r.varint(), out = new Array(n), prev = 0;
    for (var i = 0; i < n; i++) { prev = i === 0 ? r.varint() : prev + r.varint(); out[i] = prev; }
    return out;
  }
  function decodeDocs(b) {
    var r = new Reader(b);
    if (b[0] === 1) { // bitmap head + varint tail
      r.i = 1;
      var fb = r.varint(), nb = r.varint(), out = [], last = 0;
      for (var j = 0; j < nb; j++) {
        var x = b[r.i + j];
        for (var bit = 0; bit < 8; bit++) if (x & (1 << bit)) out.push(last = (fb + j) * 8 + bit);
      }
      r.i += nb;
      for (var n = r.varint(); n > 0; n--) out.push(last += r.varint());
      return out;
    }
    r.i = 1;
    return readIds(r);
  }
  /* Positions of a bigram: one ascending array per document of `docs`
   * (`first + 1, gap, …` varints, documents separated by a 0). */
  function decodePositions(b, n) {
    var r = new Reader(b), out = [], cur = [], last = -1;
    while (r.i < b.length) {
      var v = r.varint();
      if (v === 0) { out.push(cur); cur = []; last = -1; continue; }
      last = last < 0 ? v - 1 : last + v;
      cur.push(last);
    }
    out.push(cur);
    while (out.length < n) out.push([]);
    return out;
  }
  function hasPos(list, p) { // binary search in an ascending array
    var lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] === p) return true;
      if (list[mid] < p) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }
  /* Loads postings of entries: [{docs, title, pos}] in the same order;
   * positions only where withPos[i]. */
  function postings(entries, withPos) {
    var sorted = entries.map(function (e, i) { return { e: e, i: i }; })
      .sort(function (a, b) { return a.e.pack - b.e.pack || a.e.off - b.e.off; });
    var groups = [];
    for (var s of sorted) {
      var len = s.e.dl + s.e.tl + (withPos[s.i] ? s.e.ml : 0);
      var g = groups[groups.length - 1];
      if (g && g.pack === s.e.pack && s.e.off - g.end <= 256) {
        g.items.push(s); g.end = Math.max(g.end, s.e.off + len);
      } else groups.push({ pack: s.e.pack, start: s.e.off, end: s.e.off + len, items: [s] });
    }
    var out = new Array(entries.length);
    return Promise.all(groups.map(function (g) {
      return getRange('p/' + g.pack + '.bin', g.start, g.end - g.start).then(function (buf) {
        for (var s of g.items) {
          var o = s.e.off - g.start;
          var docs = decodeDocs(buf.subarray(o, o + s.e.dl));
          var title = readIds(new Reader(buf.subarray(o + s.e.dl, o + s.e.dl + s.e.tl)));
          var pos = withPos[s.i] ? decodePositions(buf.subarray(o + s.e.dl + s.e.tl, o + s.e.dl + s.e.tl + s.e.ml), docs.length) : null;
          out[s.i] = { docs: docs, title: title, pos: pos };
        }
      });
    })).then(function () { return out; });
  }
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }
  function union(lists) {
    var set = new Set();
    for (var l of lists) for (var x of l) set.add(x);
    return Array.from(set).sort(function (a, b) { return a - b; });
  }

  /* Documents of one term, exactly: {docs, title}. */
  function evalTerm(m, t) {
    if (t.kind === 'w') {
      return lookupPrefix(m, t.text).then(function (es) {
        return postings(es, es.map(function () { return false; })).then(function (ps) {
          return { docs: union(ps.map(function (p) { return p.docs; })),
            title: union(ps.map(function (p) { return p.title; })) };
        });
      });
    }
    var chars = Array.from(t.text);
    var keys = [];
    if (chars.length === 1) keys.push(chars[0]);
    for (var i = 0; i + 1 < chars.length; i++) keys.push(chars[i] + chars[i + 1]);
    // Three or more characters: the bigrams must be consecutive. Checking
    // every other bigram and the last one is enough (together they cover
    // every character, each at its offset), and exact: no record is needed.
    var cover = [];
    if (chars.length >= 3) {
      for (var c = 0; c < keys.length; c += 2) cover.push(c);
      if (cover[cover.length - 1] !== keys.length - 1) cover.push(keys.length - 1);
    }
    var withPos = keys.map(function (k, i) { return cover.indexOf(i) >= 0; });
    return Promise.all(keys.map(function (k) { return lookup(m, k); })).then(function (es) {
      if (es.some(function (e) { return !e; })) return { docs: [], title: [] };
      return postings(es, withPos).then(function (ps) {
        var docs = ps[0].docs, title = ps[0].title;
        for (var p of ps.slice(1)) { docs = intersect(docs, p.docs); title = intersect(title, p.title); }
        if (cover.length) {
          var ptr = ps.map(function () { return 0; }), kept = [];
          for (var d of docs) {
            var lists = [];
            for (var q of cover) {
              var pd = ps[q].docs;
              while (pd[ptr[q]] < d) ptr[q]++;
              lists.push(ps[q].pos[ptr[q]] || []);
            }
            var found = lists[0].some(function (p0) {
              for (var j = 1; j < cover.length; j++) if (!hasPos(lists[j], p0 + cover[j])) return false;
              return true;
            });
            if (found) kept.push(d);
          }
          docs = kept;
          title = intersect(title, docs);
        }
        return { docs: docs, title: title };
      });
    });
  }

  // ---- records ----
  var dec = new TextDecoder('utf-16le');
  function loadRecord(id) {
    return getRange('loc.bin', id * 12, 12).then(function (b) {
      var v = new DataView(b.buffer, b.byteOffset, 12);
      var loc = { pack: v.getUint32(0, true), off: v.getUint32(4, true), len: v.getUint32(8, true) };
      return getRange('r/' + loc.pack + '.bin', loc.off, Math.min(loc.len, FIRST_BYTES))
        .then(function (buf) { return parseRecord(id, loc, buf); });
    });
  }
  function parseRecord(id, loc, buf) {
    var cut = buf.length & ~1;
    if (cut < loc.len && cut >= 2) { // do not end on a high surrogate
      var last = buf[cut - 2] | (buf[cut - 1] << 8);
      if (last >= 0xd800 && last <= 0xdbff) cut -= 2;
    }
    var f = dec.decode(buf.subarray(0, cut)).split('\u001f');
    var rec = { id: id, loc: loc, buf: buf, complete: cut >= loc.len };
    if (f.length < 7) { rec.partialHead = true; return rec; }
    rec.url = f[0]; rec.kind = f[1]; rec.date = f[2]; rec.dateDisplay = f[3]; rec.title = f[4];
    rec.tags = f[5] ? f[5].split('\u001e') : []; rec.body = f.slice(6).join(' ');
    return rec;
  }
  /* Fetches the next part of a record (3x what it has, at least). */
  function loadRest(rec) {
    var have = rec.buf.length, want = Math.min(rec.loc.len, Math.max(have * 3, FIRST_BYTES));
    return getRange('r/' + rec.loc.pack + '.bin', rec.loc.off + have, want - have).then(function (more) {
      var buf = new Uint8Array(want);
      buf.set(rec.buf); buf.set(more, have);
      return parseRecord(rec.id, rec.loc, buf);
    });
  }

  // ---- matching in text ----
  /* Normalises text keeping a map back to the original (unit by unit). */
  function mapped(s) {
    var us = units(s), norm = '', nStart = [], oStart = [], o = 0;
    for (var u of us) { nStart.push(norm.length); oStart.push(o); norm += normUnit(u); o += u.length; }
    nStart.push(norm.length); oStart.push(o);
    return { norm: norm, nStart: nStart, oStart: oStart };
  }
  function unitAt(mp, ni) { // unit containing normalised index ni
    var lo = 0, hi = mp.nStart.length - 2;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (mp.nStart[mid] <= ni) lo = mid; else hi = mid - 1; }
    return lo;
  }
  function charBefore(s, i) {
    if (i <= 0) return '';
    var c = s.charCodeAt(i - 1);
    return c >= 0xdc00 && c <= 0xdfff && i >= 2 ? s.slice(i - 2, i) : s.charAt(i - 1);
  }
  /* Matches of the terms in normalised text: [[start, end]] sorted. */
  function findAll(norm, terms) {
    var out = [];
    for (var t of terms) {
      var from = 0, i;
      while ((i = norm.indexOf(t.text, from)) >= 0) {
        if (t.kind === 'c' || kindOf(charBefore(norm, i) || ' ') !== 'w') out.push([i, i + t.text.length]);
        from = i + 1;
      }
    }
    return out.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
  }

  /* Appends `s[from, to)` to el with the matches in <mark>. */
  function highlight(el, s, mp, matches, from, to) {
    var pos = from;
    for (var mt of matches) {
      var a = mp.oStart[unitAt(mp, mt[0])], b = mp.oStart[unitAt(mp, mt[1] - 1) + 1];
      if (b <= pos || a >= to) continue;
      a = Math.max(a, pos); b = Math.min(b, to);
      if (a > pos) el.appendChild(document.createTextNode(s.slice(pos, a)));
      var mk = document.createElement('mark');
      mk.textContent = s.slice(a, b);
      el.appendChild(mk);
      pos = b;
    }
    if (pos < to) el.appendChild(document.createTextNode(s.slice(pos, to)));
  }
  function safeStart(s, i) { // do not start inside a surrogate pair
    var c = s.charCodeAt(i);
    return c >= 0xdc00 && c <= 0xdfff ? i + 1 : i;
  }

  function renderResult(rec, terms) {
    var li = document.createElement('li');
    li.className = 'search-result';
    var a = document.createElement('a');
    var url = rec.url;
    a.setAttribute('href', /^\/(?!\/)/.test(url) ? url : '#');
    var tm = mapped(rec.title);
    highlight(a, rec.title, tm, findAll(tm.norm, terms), 0, rec.title.length);
    var h = document.createElement('h2');
    h.className = 'search-result-title';
    h.appendChild(a);
    li.appendChild(h);
    var meta = document.createElement('p');
    meta.className = 'search-result-meta';
    var kind = document.createElement('span');
    kind.className = 'search-result-kind';
    kind.textContent = LABELS[rec.kind] || rec.kind;
    meta.appendChild(kind);
    if (rec.dateDisplay || rec.date) {
      meta.appendChild(document.createTextNode(' '));
      var time = document.createElement('time');
      if (/^\d{4}-\d{2}-\d{2}/.test(rec.date)) time.setAttribute('datetime', rec.date);
      time.textContent = rec.dateDisplay || rec.date;
      meta.appendChild(time);
    }
    li.appendChild(meta);
    var body = rec.body, bm = mapped(body), ms = findAll(bm.norm, terms);
    var p = document.createElement('p');
    p.className = 'search-result-snippet';
    var start = 0;
    if (ms.length) start = Math.max(0, bm.oStart[unitAt(bm, ms[0][0])] - 40);
    start = safeStart(body, start);
    var end = Math.min(body.length, start + 140);
    if (end < body.length && body.charCodeAt(end - 1) >= 0xd800 && body.charCodeAt(end - 1) <= 0xdbff) end--;
    if (start > 0) p.appendChild(document.createTextNode('…'));
    highlight(p, body, bm, ms, start, end);
    if (end < body.length || !rec.complete) p.appendChild(document.createTextNode('…'));
    li.appendChild(p);
    return li;
  }

  // ---- running a query ----
  var state = null, seq = 0;
  function setStatus(text) { status.textContent = text; }

  function run(q) {
    var my = ++seq;
    var terms = [], seen = {};
    for (var t of tokenize(normalize(q))) {
      if (!seen[t.kind + t.text]) { seen[t.kind + t.text] = 1; terms.push(t); }
    }
    list.textContent = '';
    if (moreBtn) moreBtn.hidden = true;
    state = null;
    if (!terms.length) { setStatus(''); return Promise.resolve(); }
    setStatus(MSG.loading);
    root.setAttribute('aria-busy', 'true');
    return manifest().then(function (m) {
      return Promise.all(terms.map(function (t) { return evalTerm(m, t); }));
    }).then(function (rs) {
      if (my !== seq) return;
      var docs = rs[0].docs;
      for (var r of rs.slice(1)) docs = intersect(docs, r.docs);
      var titleSets = rs.map(function (r) { return new Set(r.title); });
      var score = {};
      for (var d of docs) {
        var s = 0;
        for (var ts of titleSets) if (ts.has(d)) s++;
        score[d] = s;
      }
      docs.sort(function (a, b) { return score[b] - score[a] || a - b; });
      // The candidates are exact, so the count is final before any record
      // is fetched, and paging walks a list that never changes.
      state = { q: q, terms: terms, ranked: docs, next: 0, count: docs.length, shown: 0 };
      return more(my);
    }).catch(function () {
      if (my === seq) setStatus(MSG.error);
    }).then(function () {
      if (my === seq) root.removeAttribute('aria-busy');
    });
  }

  /* Shows the next PAGE results; one page at a time (a second press while
   * one loads waits for it instead of loading the same ids again). */
  function more(my) {
    var st = state;
    if (!st) return Promise.resolve();
    if (st.busy) return st.busy;
    var target = st.shown + PAGE;
    function step() {
      if (my !== seq) return Promise.resolve();
      if (st.shown >= target || st.next >= st.ranked.length) return Promise.resolve();
      var ids = st.ranked.slice(st.next, st.next + (target - st.shown));
      st.next += ids.length;
      return Promise.all(ids.map(function (id) { return loadShown(id); })).then(function (recs) {
        if (my !== seq) return;
        for (var rec of recs) {
          if (rec) { list.appendChild(renderResult(rec, st.terms)); st.shown++; } else st.count--;
        }
        return step();
      });
    }
    st.busy = step().then(function () {
      st.busy = null;
      if (my !== seq) return;
      setStatus(st.count ? MSG.count(st.count, st.q) : MSG.none(st.q));
      if (moreBtn) moreBtn.hidden = st.next >= st.ranked.length;
    }, function (e) { st.busy = null; throw e; });
    return st.busy;
  }

  /* The record (null only for a malformed one). */
  function loadShown(id) {
    function check(rec) {
      if (rec.partialHead) return rec.complete ? null : loadRest(rec).then(check);
      return rec;
    }
    return loadRecord(id).then(check);
  }

  var timer = 0, last = null;
  function schedule(q, delay) {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (q === last) return;
      last = q;
      var url = new URL(window.location.href);
      if (q) url.searchParams.set('q', q); else url.searchParams.delete('q');
      history.replaceState(null, '', url.pathname + url.search + url.hash);
      run(q);
    }, delay);
  }
  input.addEventListener('input', function () { schedule(input.value.trim(), 150); });
  if (form) form.addEventListener('submit', function (e) {
    e.preventDefault();
    schedule(input.value.trim(), 0);
  });
  if (moreBtn) moreBtn.addEventListener('click', function () {
    var my = seq;
    moreBtn.hidden = true;
    root.setAttribute('aria-busy', 'true');
    more(my).then(function () { if (my === seq) root.removeAttribute('aria-busy'); });
  });
  var q0 = new URLSearchParams(window.location.search).get('q');
  if (q0) { input.value = q0; last = q0.trim(); run(last); }
})();
