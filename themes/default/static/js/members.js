// enishi: the members-only directory (/members/). The directory is encrypted
// at build time (members/data.json, format in src/members.rs): the key is
// derived here from the passphrase with PBKDF2-HMAC-SHA256 and the data is
// decrypted with AES-256-GCM, both by WebCrypto, then inflated with
// DecompressionStream. Nothing leaves the browser.
// Everything is rendered with textContent; links are re-checked (http(s) and
// mailto only) before they become hrefs.
(function () {
  "use strict";
  var form = document.getElementById("members-unlock");
  var status = document.getElementById("members-status");
  var box = document.getElementById("members-directory");
  var list = document.getElementById("members-list");
  var filter = document.getElementById("members-filter");
  var count = document.getElementById("members-count");
  if (!form || !status || !box || !list) return;
  var labels = {};
  try {
    labels = JSON.parse(document.getElementById("members-labels").textContent);
  } catch (e) { /* defaults */ }
  var payload = null, people = [];
  var LIMIT = 200;

  if (!(window.crypto && window.crypto.subtle && window.DecompressionStream)) {
    status.textContent = labels.unsupported || "WebCrypto unavailable";
    return;
  }
  form.hidden = false;

  function b64(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
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
  function getPayload() {
    if (payload) return Promise.resolve(payload);
    return fetch(form.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("fetch");
        return r.json();
      })
      .then(function (p) {
        if (p.format !== "enishi-members" || p.version !== 1) throw new Error("format");
        payload = p;
        return p;
      });
  }
  function decrypt(p, passphrase) {
    var subtle = window.crypto.subtle;
    return subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveKey"])
      .then(function (base) {
        return subtle.deriveKey(
          { name: "PBKDF2", salt: b64(p.kdf.salt), iterations: p.kdf.iterations, hash: "SHA-256" },
          base, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
      })
      .then(function (key) {
        return subtle.decrypt({ name: "AES-GCM", iv: b64(p.cipher.nonce) }, key, b64(p.ciphertext));
      })
      .then(function (buf) {
        if (p.compression === "zlib") {
          var stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream("deflate"));
          return new Response(stream).arrayBuffer();
        }
        return buf;
      })
      .then(function (buf) { return JSON.parse(new TextDecoder().decode(buf)); });
  }

  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined && txt !== null) e.textContent = txt;
    return e;
  }
  function safeUrl(u) {
    return /^(https?:\/\/|mailto:)/i.test(String(u)) ? String(u) : null;
  }
  function row(dl, key, value) {
    if (value === undefined || value === null || value === "") return;
    dl.appendChild(el("dt", "", labels[key] || key));
    var dd = el("dd");
    if (value.nodeType) dd.appendChild(value); else dd.textContent = value;
    dl.appendChild(dd);
  }
  function link(href, txt) {
    var u = safeUrl(href);
    if (!u) return el("span", "", txt);
    var a = el("a", "", txt);
    a.href = u;
    a.rel = "noopener";
    return a;
  }
  function render(p) {
    var li = el("li", "alumni-person");
    var h = el("h2", "alumni-name", p.name || p.name_en || labels.anonymous || "");
    if (p.name && p.name_en) h.appendChild(document.createTextNode(" " + p.name_en));
    if (p.reading) {
      h.appendChild(document.createTextNode(" "));
      h.appendChild(el("span", "alumni-reading", p.reading));
    }
    li.appendChild(h);
    var dl = el("dl");
    if (p.now) row(dl, "now", [p.now.company, p.now.role].filter(Boolean).join(" / "));
    row(dl, "department", p.department);
    if (p.joined) row(dl, "joined", p.joined.text);
    if (p.left) row(dl, "left", p.left.text);
    row(dl, "location", p.location);
    if (p.skills) row(dl, "skills", p.skills.join(", "));
    if (p.email) row(dl, "email", link("mailto:" + p.email, p.email));
    if (p.links) {
      var span = el("span");
      Object.keys(p.links).sort().forEach(function (k, i) {
        if (i) span.appendChild(document.createTextNode(", "));
        span.appendChild(link(p.links[k], labels["link_" + k.toLowerCase()] || k));
      });
      row(dl, "links", span);
    }
    row(dl, "message", p.message);
    li.appendChild(dl);
    if (p.public_url) {
      var pu = el("p");
      pu.appendChild(link(new URL(p.public_url, location.href).href, labels.public_entry || ""));
      li.appendChild(pu);
    }
    if (p.interview) {
      var ip = el("p");
      ip.appendChild(link(new URL(p.interview.url, location.href).href, (labels.interview || "") + ": " + p.interview.title));
      li.appendChild(ip);
    }
    return li;
  }
  var matches = [], shown = 0;
  var moreWrap = document.getElementById("members-more-wrap");
  var moreBtn = document.getElementById("members-more");
  function more() {
    var frag = document.createDocumentFragment();
    var end = Math.min(matches.length, shown + LIMIT);
    for (var i = shown; i < end; i++) frag.appendChild(render(matches[i]));
    list.appendChild(frag);
    shown = end;
    if (moreWrap) moreWrap.hidden = shown >= matches.length;
  }
  function show() {
    var q = filter ? fold(filter.value) : "";
    matches = people.filter(function (p) { return !q || p._k.indexOf(q) >= 0; });
    list.textContent = "";
    shown = 0;
    more();
    if (count) count.textContent = String(labels.count_match || "{n}").replace("{n}", String(matches.length));
  }
  if (moreBtn) moreBtn.addEventListener("click", more);

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var pw = form.elements.passphrase.value;
    if (!pw) return;
    status.textContent = labels.decrypting || "";
    getPayload()
      .then(function (p) { return decrypt(p, pw); })
      .then(function (doc) {
        people = (doc.people || []).map(function (p) {
          p._k = fold([p.name, p.name_en, p.reading, p.now && p.now.company, p.department, p.location,
            (p.skills || []).join(" ")].join(" "));
          return p;
        });
        status.textContent = "";
        form.hidden = true;
        box.hidden = false;
        show();
      })
      .catch(function (err) {
        people = [];
        list.textContent = "";
        box.hidden = true;
        status.textContent = (err && err.name === "OperationError")
          ? (labels.wrong_passphrase || "Wrong passphrase")
          : (labels.load_error || "Error");
        form.elements.passphrase.select();
      });
  });
  if (filter) filter.addEventListener("input", show);
})();
