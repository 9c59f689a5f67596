/* The reference library's browser side: reading ticks (localStorage), progress,
 * catalog filtering/sorting, and evidence previews. Ours, no dependencies, no network
 * beyond fetching pages of this same site for previews. */
(function () {
  "use strict";
  var KEY = "refs-library:read:v1";

  function readSet() {
    try {
      var v = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return new Set(Array.isArray(v) ? v : []);
    } catch (e) {
      return new Set();
    }
  }
  function writeSet(set) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(Array.from(set).sort()));
    } catch (e) { /* storage off: ticks last for this page only */ }
  }
  function ids(el) {
    var v = el.getAttribute("data-ids") || "";
    return v ? v.split(/\s+/) : [];
  }
  function countRead(list, set) {
    var n = 0;
    list.forEach(function (id) { if (set.has(id)) n += 1; });
    return n;
  }

  // ---------- ticks and progress ----------
  function refresh(root) {
    var set = readSet();
    root.querySelectorAll("input.refs-tick").forEach(function (box) {
      box.checked = set.has(box.getAttribute("data-rid"));
      var row = box.closest("tr");
      if (row) row.classList.toggle("refs-is-read", box.checked);
    });
    root.querySelectorAll("[data-refs-progress]").forEach(function (el) {
      var list = ids(el);
      var pct = list.length ? (100 * countRead(list, set)) / list.length : 0;
      var fill = el.querySelector(".refs-meter-fill");
      if (fill) fill.style.width = pct.toFixed(1) + "%";
      el.setAttribute("aria-valuenow", String(Math.round(pct)));
    });
    root.querySelectorAll("[data-refs-count]").forEach(function (el) {
      el.textContent = String(countRead(ids(el), set));
    });
    root.querySelectorAll("[data-refs-bar]").forEach(function (el) {
      var list = ids(el);
      var w = parseFloat(el.getAttribute("data-w")) || 0;
      var frac = list.length ? countRead(list, set) / list.length : 0;
      el.setAttribute("width", (w * frac).toFixed(1));
    });
    root.querySelectorAll("ol.refs-next").forEach(function (ol) {
      var limit = parseInt(ol.getAttribute("data-limit"), 10) || 3;
      var shown = 0;
      ol.querySelectorAll("li[data-rid]").forEach(function (li) {
        var show = !set.has(li.getAttribute("data-rid")) && shown < limit;
        li.hidden = !show;
        if (show) shown += 1;
      });
      var done = ol.parentNode.querySelector(".refs-next-done");
      if (done) done.hidden = shown > 0;
    });
  }

  function initTicks(root) {
    root.addEventListener("change", function (ev) {
      var box = ev.target;
      if (!box.classList || !box.classList.contains("refs-tick")) return;
      var set = readSet();
      var rid = box.getAttribute("data-rid");
      if (box.checked) set.add(rid); else set.delete(rid);
      writeSet(set);
      refresh(document);
    });
    window.addEventListener("storage", function (ev) {
      if (ev.key === KEY) refresh(document);
    });
  }

  // ---------- catalog ----------
  function initCatalog(root) {
    var table = root.querySelector("table.refs-catalog");
    if (!table || table.getAttribute("data-refs-ready")) return;
    table.setAttribute("data-refs-ready", "1");
    var controls = root.querySelectorAll(".refs-catalog-controls [data-filter]");
    var shown = root.querySelector("[data-refs-shown]");
    var body = table.tBodies[0];

    function apply() {
      var f = {};
      controls.forEach(function (c) { f[c.getAttribute("data-filter")] = c.value.trim().toLowerCase(); });
      var n = 0;
      Array.prototype.forEach.call(body.rows, function (tr) {
        var ok =
          (!f.text || (tr.getAttribute("data-text") || "").indexOf(f.text) >= 0) &&
          (!f.topic || (tr.getAttribute("data-topic") || "").split(" ").indexOf(f.topic) >= 0) &&
          (!f.type || tr.getAttribute("data-type") === f.type) &&
          (!f.priority || tr.getAttribute("data-priority") === f.priority) &&
          (!f.status || tr.getAttribute("data-status") === f.status);
        tr.hidden = !ok;
        if (ok) n += 1;
      });
      if (shown) shown.textContent = String(n);
    }
    controls.forEach(function (c) {
      c.addEventListener("input", apply);
      c.addEventListener("change", apply);
    });

    table.querySelectorAll("th[data-sort]").forEach(function (th) {
      th.addEventListener("click", function () {
        var key = th.getAttribute("data-sort");
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        table.querySelectorAll("th[data-sort]").forEach(function (o) { o.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var set = readSet();
        function val(tr) {
          if (key === "read") return set.has(tr.getAttribute("data-rid")) ? "0" : "1";
          return tr.getAttribute("data-sort-" + key) || "";
        }
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = val(a), y = val(b);
          if (x !== y) return x < y ? -dir : dir;
          return (+a.getAttribute("data-order")) - (+b.getAttribute("data-order"));
        });
        rows.forEach(function (tr) { body.appendChild(tr); });
      });
    });
    apply();
  }

  // ---------- evidence previews ----------
  var pageCache = {};
  var tip = null;
  var hideTimer = null;

  function fetchDoc(url) {
    if (!pageCache[url]) {
      pageCache[url] = fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (text) { return new DOMParser().parseFromString(text, "text/html"); });
    }
    return pageCache[url];
  }

  function passage(doc, id) {
    var el = doc.getElementById(id);
    if (!el) return null;
    var heading = /^H[1-6]$/.test(el.tagName) ? el : el.closest("h1,h2,h3,h4,h5,h6") || el;
    var level = /^H[1-6]$/.test(heading.tagName) ? +heading.tagName[1] : 7;
    var box = document.createElement("div");
    var h = heading.cloneNode(true);
    h.querySelectorAll(".headerlink").forEach(function (a) { a.remove(); });
    box.appendChild(h);
    var chars = 0;
    for (var n = heading.nextElementSibling; n && chars < 1500; n = n.nextElementSibling) {
      if (/^H[1-6]$/.test(n.tagName) && +n.tagName[1] <= level) break;
      if (n.classList.contains("refs-cited-by")) continue;
      box.appendChild(n.cloneNode(true));
      chars += (n.textContent || "").length;
    }
    box.querySelectorAll("script, [id]").forEach(function (x) {
      if (x.tagName === "SCRIPT") x.remove(); else x.removeAttribute("id");
    });
    return box;
  }

  function hideTip() {
    if (tip) { tip.remove(); tip = null; }
  }

  function showTip(link) {
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || !url.hash) return;
    var id = decodeURIComponent(url.hash.slice(1));
    var base = url.href.split("#")[0];
    var here = window.location.href.split("#")[0];
    var docPromise = base === here ? Promise.resolve(document) : fetchDoc(base);
    docPromise.then(function (doc) {
      var box = passage(doc, id);
      if (!box || !link.matches(":hover")) return;
      hideTip();
      tip = document.createElement("div");
      tip.className = "refs-preview md-typeset";
      tip.setAttribute("role", "tooltip");
      tip.appendChild(box);
      tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      tip.addEventListener("mouseleave", function () { hideTimer = setTimeout(hideTip, 200); });
      document.body.appendChild(tip);
      var r = link.getBoundingClientRect();
      var top = window.scrollY + r.bottom + 6;
      var left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + window.innerWidth - tip.offsetWidth - 8));
      tip.style.top = top + "px";
      tip.style.left = left + "px";
    }, function () { /* preview unavailable (offline file:// or missing page) */ });
  }

  function initPreviews(root) {
    root.addEventListener("mouseover", function (ev) {
      var a = ev.target.closest && ev.target.closest("a.refs-evidence");
      if (!a) return;
      clearTimeout(hideTimer);
      showTip(a);
    });
    root.addEventListener("mouseout", function (ev) {
      var a = ev.target.closest && ev.target.closest("a.refs-evidence");
      if (a) hideTimer = setTimeout(hideTip, 250);
    });
  }

  var wired = false;
  function init() {
    if (!wired) {
      wired = true;
      initTicks(document);
      initPreviews(document);
    }
    hideTip();
    initCatalog(document);
    refresh(document);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
