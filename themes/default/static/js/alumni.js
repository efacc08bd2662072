// enishi: instant filtering of the public alumni directory (/alumni/).
// Without JS the directory is a plain paginated list. With JS, the filter
// form appears; the compact data (alumni/directory.json) is fetched only when
// the visitor starts filtering, so the first page load stays small.
// Everything is rendered with textContent: no data ever becomes HTML.
(function () {
  "use strict";
  var form = document.getElementById("alumni-filter");
  var list = document.getElementById("alumni-list");
  var count = document.getElementById("alumni-count");
  if (!form || !list || !count) return;
  var labels = {};
  try {
    labels = JSON.parse(document.getElementById("alumni-labels").textContent);
  } catch (e) { /* keep defaults */ }
  var pager = document.getElementById("alumni-pages");
  var moreWrap = document.getElementById("alumni-more-wrap");
  var moreBtn = document.getElementById("alumni-more");
  var originalList = list.innerHTML;
  var originalStart = list.getAttribute("start");
  var originalCount = count.textContent;
  var CHUNK = 50;
  var data = null, loading = null, people = [], results = [], shown = 0;
  var orders = {};

  form.hidden = false;

  // Japanese-aware folding: NFKC, lower case, katakana -> hiragana, no spaces.
  function fold(s) {
    s = String(s || "").normalize("NFKC").toLowerCase();
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0x30a1 && c <= 0x30f6) out += String.fromCharCode(c - 0x60);
      else if (!/\s/.test(s[i])) out += s[i];
    }
    return out;
  }
  function year(s) {
    var y = parseInt(String(s || "").slice(0, 4), 10);
    return isNaN(y) ? null : y;
  }
  function text(key, n) {
    return String(labels[key] || "").replace("{n}", String(n));
  }

  function load() {
    if (loading) return loading;
    count.textContent = text("loading");
    loading = fetch(form.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      })
      .then(function (d) {
        data = d;
        var companies = d.companies.map(fold), departments = d.departments.map(fold), skills = d.skills.map(fold);
        people = d.people.map(function (p, i) {
          return {
            i: i, id: p[0], name: p[1], name_en: p[2], reading: p[3], joined: p[4], left: p[5],
            department: p[6] >= 0 ? d.departments[p[6]] : "", company: p[7] >= 0 ? d.companies[p[7]] : "",
            role: p[8], location: p[9], skills: p[10].map(function (k) { return d.skills[k]; }),
            page: p[11], interview_url: p[12], interview_title: p[13],
            email: p[14] || "", links: p[15] || [], message: p[16] || "",
            kName: fold(p[1] + " " + p[2] + " " + p[3]),
            kCompany: p[7] >= 0 ? companies[p[7]] : "", kDept: p[6] >= 0 ? departments[p[6]] : "",
            kSkills: p[10].map(function (k) { return skills[k]; }),
            yJoined: year(p[4]), yLeft: year(p[5])
          };
        });
        fill("af-companies", d.companies);
        fill("af-departments", d.departments);
        fill("af-skills", d.skills);
        orders.reading = people.slice();
        ["joined", "left"].forEach(function (k) {
          var key = k === "joined" ? "yJoined" : "yLeft";
          orders[k] = people.slice().sort(function (a, b) {
            var x = a[key], y = b[key];
            if (x === y) return a.i - b.i;
            if (x === null) return 1;
            if (y === null) return -1;
            return x - y;
          });
        });
      })
      .catch(function () {
        loading = null;
        count.textContent = text("load_error");
      });
    return loading;
  }

  function fill(id, values) {
    var dl = document.getElementById(id);
    if (!dl) return;
    var frag = document.createDocumentFragment();
    values.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v;
      frag.appendChild(o);
    });
    dl.appendChild(frag);
  }

  function query() {
    var el = form.elements;
    return {
      name: fold(el.name.value), company: fold(el.company.value), department: fold(el.department.value),
      skill: fold(el.skill.value), year: parseInt(el.year.value, 10), sort: el.sort.value
    };
  }
  function active(q) {
    return q.name || q.company || q.department || q.skill || !isNaN(q.year) || q.sort !== "reading";
  }

  function apply() {
    if (!data) return;
    var q = query();
    if (!active(q)) return restore();
    var t0 = performance.now();
    var src = orders[q.sort] || orders.reading;
    var out = [];
    for (var i = 0; i < src.length; i++) {
      var p = src[i];
      if (q.name && p.kName.indexOf(q.name) < 0) continue;
      if (q.company && p.kCompany.indexOf(q.company) < 0) continue;
      if (q.department && p.kDept.indexOf(q.department) < 0) continue;
      if (q.skill && !p.kSkills.some(function (s) { return s.indexOf(q.skill) >= 0; })) continue;
      if (!isNaN(q.year)) {
        if (p.yJoined === null && p.yLeft === null) continue;
        if (p.yJoined !== null && p.yJoined > q.year) continue;
        if (p.yLeft !== null && p.yLeft < q.year) continue;
      }
      out.push(p);
    }
    results = out;
    shown = 0;
    list.textContent = "";
    list.setAttribute("start", "1");
    if (pager) pager.hidden = true;
    renderMore();
    count.textContent = text("count_match", results.length);
    count.setAttribute("data-ms", (performance.now() - t0).toFixed(1));
  }

  function restore() {
    list.innerHTML = originalList;
    if (originalStart) list.setAttribute("start", originalStart);
    if (pager) pager.hidden = false;
    moreWrap.hidden = true;
    count.textContent = originalCount;
  }

  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined) e.textContent = txt;
    return e;
  }
  function row(dl, key, value) {
    if (!value) return;
    dl.appendChild(el("dt", "", labels[key] || key));
    var dd = el("dd");
    if (value.nodeType) dd.appendChild(value); else dd.textContent = value;
    dl.appendChild(dd);
  }
  // Links were validated at build time (http, https, mailto); check again.
  function link(href, txt) {
    if (!/^(https?:\/\/|mailto:)/i.test(String(href))) return el("span", "", txt);
    var a = el("a", "", txt);
    a.href = href;
    a.rel = "noopener";
    return a;
  }
  function render(p) {
    var li = el("li", "alumni-person");
    li.id = p.id;
    var h = el("h2", "alumni-name", p.name || p.name_en);
    if (p.name && p.name_en) {
      var en = el("span", "", p.name_en);
      en.lang = "en";
      h.appendChild(document.createTextNode(" "));
      h.appendChild(en);
    }
    if (p.reading) {
      h.appendChild(document.createTextNode(" "));
      h.appendChild(el("span", "alumni-reading", p.reading));
    }
    li.appendChild(h);
    var dl = el("dl");
    row(dl, "now", [p.company, p.role].filter(Boolean).join(" / "));
    row(dl, "department", p.department);
    row(dl, "joined", p.joined);
    row(dl, "left", p.left);
    row(dl, "location", p.location);
    row(dl, "skills", p.skills.join(", "));
    if (p.email) row(dl, "email", link("mailto:" + p.email, p.email));
    if (p.links.length) {
      var span = el("span");
      p.links.forEach(function (l, i) {
        if (i) span.appendChild(document.createTextNode(", "));
        span.appendChild(link(l[1], labels["link_" + String(l[0]).toLowerCase()] || l[0]));
      });
      row(dl, "links", span);
    }
    row(dl, "message", p.message);
    li.appendChild(dl);
    if (p.interview_url) {
      var a = el("a", "", (labels.interview || "") + ": " + p.interview_title);
      a.href = p.interview_url;
      var pp = el("p");
      pp.appendChild(a);
      li.appendChild(pp);
    }
    return li;
  }
  function renderMore() {
    var frag = document.createDocumentFragment();
    var end = Math.min(results.length, shown + CHUNK);
    for (var i = shown; i < end; i++) frag.appendChild(render(results[i]));
    list.appendChild(frag);
    shown = end;
    moreWrap.hidden = shown >= results.length;
  }

  var pending = false;
  function schedule() {
    load().then(function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; apply(); });
    });
  }
  form.addEventListener("focusin", function () { load(); });
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function (e) { e.preventDefault(); schedule(); });
  form.addEventListener("reset", function () { setTimeout(schedule, 0); });
  if (moreBtn) moreBtn.addEventListener("click", renderMore);
})();
