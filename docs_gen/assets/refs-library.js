/* The reference library's browser side: reading ticks (localStorage), progress,
 * catalog filtering/sorting, evidence previews (hover, keyboard focus, tap), figures
 * opened larger on click or tap, and the
 * cited passage marked where a link lands. Ours, no dependencies, no network
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

  // ---------- the cited passage ----------
  var HEADING = /^H[1-6]$/;
  var MARK_MS = 4000;
  var mark = null;
  var markTimer = null;

  function level(el) {
    return HEADING.test(el.tagName) ? +el.tagName[1] : 7;
  }

  // The block of the article an element sits in (a direct child of the content).
  function blockOf(el) {
    var article = el.closest(".md-content article, .md-typeset") || document.body;
    while (el.parentElement && el.parentElement !== article) el = el.parentElement;
    return el;
  }

  // What a fragment names, as a list of blocks: a heading's section (up to the next
  // heading of the same or a higher level), a claim's list item, or the block holding
  // another marker up to the next heading.
  function sectionOf(doc, id) {
    var el = doc.getElementById(id);
    if (!el) return null;
    var heading = HEADING.test(el.tagName) ? el : el.closest("h1,h2,h3,h4,h5,h6");
    if (!heading && /^(claim|cite)-\d+$/.test(id)) {
      return { heading: null, blocks: [el.closest("li, p, td") || el] };
    }
    var start = heading || blockOf(el);
    var lvl = heading ? level(heading) : 7;
    var blocks = [start];
    for (var n = start.nextElementSibling; n; n = n.nextElementSibling) {
      if (HEADING.test(n.tagName) && level(n) <= lvl) break;
      if (!heading && HEADING.test(n.tagName)) break;
      blocks.push(n);
    }
    return { heading: heading, blocks: blocks };
  }

  function clearMark() {
    clearTimeout(markTimer);
    if (mark) { mark.remove(); mark = null; }
  }

  // Outline the passage a link landed on, for a few seconds.
  function markPassage(id) {
    clearMark();
    var found = id && sectionOf(document, id);
    if (!found) return;
    var top = Infinity, bottom = -Infinity, left = Infinity, right = -Infinity;
    found.blocks.forEach(function (b) {
      var r = b.getBoundingClientRect();
      if (!r.width && !r.height) return;
      top = Math.min(top, r.top); bottom = Math.max(bottom, r.bottom);
      left = Math.min(left, r.left); right = Math.max(right, r.right);
    });
    if (!isFinite(top)) return;
    mark = document.createElement("div");
    mark.className = "refs-passage-mark";
    mark.setAttribute("aria-hidden", "true");
    mark.setAttribute("data-refs-target", id);
    var pad = 6;
    mark.style.top = (window.scrollY + top - pad) + "px";
    mark.style.left = (window.scrollX + left - pad - 4) + "px";
    mark.style.width = (right - left + 2 * pad + 4) + "px";
    mark.style.height = (bottom - top + 2 * pad) + "px";
    document.body.appendChild(mark);
    var shown = mark;
    markTimer = setTimeout(function () {
      shown.classList.add("refs-fading");
      markTimer = setTimeout(function () { if (mark === shown) clearMark(); }, 900);
    }, MARK_MS);
  }

  function markFromHash() {
    if (window.location.hash.length > 1) {
      markPassage(decodeURIComponent(window.location.hash.slice(1)));
    }
  }

  // ---------- evidence previews ----------
  var pageCache = {};
  var tip = null;
  var tipFor = null; // the link the shown (or coming) preview belongs to
  var hideTimer = null;
  var touched = 0; // time of the last touch: a tap previews instead of following

  function fetchDoc(url) {
    if (!pageCache[url]) {
      pageCache[url] = fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (text) { return new DOMParser().parseFromString(text, "text/html"); });
    }
    return pageCache[url];
  }

  function passage(doc, id, base) {
    var found = sectionOf(doc, id);
    if (!found) return null;
    var box = document.createElement("div");
    var chars = 0;
    found.blocks.some(function (n) {
      if (n.classList && (n.classList.contains("refs-cited-by") || n.classList.contains("refs-crumbs"))) return false;
      var copy = n.cloneNode(true);
      if (copy.querySelectorAll) copy.querySelectorAll(".headerlink, .refs-kind").forEach(function (a) { a.remove(); });
      box.appendChild(copy);
      chars += (n.textContent || "").length;
      return chars >= 1500;
    });
    box.querySelectorAll("script, [id]").forEach(function (x) {
      if (x.tagName === "SCRIPT") x.remove(); else x.removeAttribute("id");
    });
    // A figure of the passage: its relative address is the source page's, not ours.
    box.querySelectorAll("a.refs-figure").forEach(function (a) {
      var img = a.querySelector("img");
      a.href = new URL(a.getAttribute("href"), base).href;
      if (img) { img.src = new URL(img.getAttribute("src"), base).href; img.loading = "eager"; }
    });
    return box;
  }

  function hideTip() {
    clearTimeout(hideTimer);
    if (tip) { tip.remove(); tip = null; }
    if (tipFor) tipFor.removeAttribute("aria-describedby");
    tipFor = null;
  }

  function place(link) {
    var r = link.getBoundingClientRect();
    var gap = 6;
    var below = window.innerHeight - r.bottom - gap - 8;
    var above = r.top - gap - 8;
    var h = tip.offsetHeight;
    var up = h > below && above > below; // flip above when it would open off the bottom
    if (h > Math.max(below, above)) {
      tip.style.maxHeight = Math.max(up ? above : below, 96) + "px";
      h = tip.offsetHeight;
    }
    var top = up ? window.scrollY + r.top - gap - h : window.scrollY + r.bottom + gap;
    var left = Math.max(window.scrollX + 8,
      Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.top = top + "px";
    tip.style.left = left + "px";
    tip.setAttribute("data-placement", up ? "above" : "below");
  }

  function showTip(link) {
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || !url.hash) return;
    var id = decodeURIComponent(url.hash.slice(1));
    var base = url.href.split("#")[0];
    var here = window.location.href.split("#")[0];
    var docPromise = base === here ? Promise.resolve(document) : fetchDoc(base);
    if (tipFor === link && tip) return;
    hideTip();
    tipFor = link;
    docPromise.then(function (doc) {
      if (tipFor !== link) return; // the reader moved on while it loaded
      var box = passage(doc, id, base);
      if (!box) return;
      tip = document.createElement("div");
      tip.id = "refs-preview";
      tip.className = "refs-preview md-typeset";
      tip.setAttribute("role", "tooltip");
      tip.appendChild(box);
      var go = document.createElement("a");
      go.className = "refs-preview-go";
      go.href = link.href;
      go.textContent = "Go to passage →";
      tip.appendChild(go);
      tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      tip.addEventListener("mouseleave", function () { hideTimer = setTimeout(hideTip, 200); });
      document.body.appendChild(tip);
      link.setAttribute("aria-describedby", tip.id);
      place(link);
    }, function () { if (tipFor === link) tipFor = null; /* preview unavailable */ });
  }

  function evidenceLink(ev) {
    return ev.target.closest ? ev.target.closest("a.refs-evidence") : null;
  }

  function initPreviews(root) {
    root.addEventListener("mouseover", function (ev) {
      var a = evidenceLink(ev);
      if (!a || Date.now() - touched < 800) return; // a tap's emulated hover: the click decides
      clearTimeout(hideTimer);
      showTip(a);
    });
    root.addEventListener("mouseout", function (ev) {
      var a = evidenceLink(ev);
      if (a && tipFor === a && Date.now() - touched >= 800) hideTimer = setTimeout(hideTip, 250);
    });
    root.addEventListener("focusin", function (ev) {
      var a = evidenceLink(ev);
      if (a && Date.now() - touched >= 800) { clearTimeout(hideTimer); showTip(a); }
    });
    root.addEventListener("focusout", function (ev) {
      var a = evidenceLink(ev);
      if (!a || tipFor !== a) return;
      var next = ev.relatedTarget;
      if (next && tip && tip.contains(next)) return; // tabbing into the preview's link
      hideTimer = setTimeout(hideTip, 150);
    });
    root.addEventListener("touchstart", function () { touched = Date.now(); }, { passive: true, capture: true });
    root.addEventListener("pointerdown", function (ev) {
      if (ev.pointerType === "touch") touched = Date.now();
      else if (tip && !tip.contains(ev.target) && !evidenceLink(ev)) hideTip();
    }, true);
    root.addEventListener("click", function (ev) {
      var a = evidenceLink(ev);
      if (a && Date.now() - touched < 800 && !(tip && tip.contains(a))) {
        // A tap shows the passage first; the preview's own link goes there.
        if (tipFor !== a || !tip) {
          ev.preventDefault();
          showTip(a);
        }
        return;
      }
      if (tip && !tip.contains(ev.target) && Date.now() - touched < 800) hideTip(); // tap outside
      var target = ev.target.closest && ev.target.closest("a[href*='#']");
      if (target && target.hash) {
        var url = new URL(target.href, window.location.href);
        if (url.href.split("#")[0] === window.location.href.split("#")[0]) {
          // Same page: the browser scrolls; mark once it has (hashchange may not fire).
          setTimeout(function () { markPassage(decodeURIComponent(url.hash.slice(1))); }, 50);
        }
      }
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && tip) {
        var back = tipFor;
        hideTip();
        if (back) back.focus({ preventScroll: true });
      }
    });
  }

  // ---------- figures: a click or tap opens the image larger ----------
  var lightbox = null;
  var opener = null;

  function closeFigure() {
    if (!lightbox) return;
    lightbox.remove();
    lightbox = null;
    if (opener) opener.focus({ preventScroll: true });
    opener = null;
  }

  function openFigure(a) {
    closeFigure();
    opener = a;
    lightbox = document.createElement("div");
    lightbox.className = "refs-lightbox";
    lightbox.setAttribute("role", "dialog");
    lightbox.setAttribute("aria-modal", "true");
    var img = document.createElement("img");
    var thumb = a.querySelector("img");
    img.src = a.href;
    img.alt = thumb ? thumb.alt : "";
    lightbox.setAttribute("aria-label", img.alt || "Figure");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "refs-lightbox-close";
    close.setAttribute("aria-label", "Close");
    close.textContent = "×";
    lightbox.appendChild(img);
    lightbox.appendChild(close);
    lightbox.addEventListener("click", closeFigure);
    document.body.appendChild(lightbox);
    close.focus({ preventScroll: true });
  }

  function initFigures(root) {
    root.addEventListener("click", function (ev) {
      var a = ev.target.closest ? ev.target.closest("a.refs-figure") : null;
      if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button) return;
      ev.preventDefault();
      openFigure(a);
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && lightbox) closeFigure();
    });
  }

  var wired = false;
  function init() {
    if (!wired) {
      wired = true;
      initTicks(document);
      initPreviews(document);
      initFigures(document);
      window.addEventListener("hashchange", markFromHash);
    }
    hideTip();
    closeFigure();
    initCatalog(document);
    refresh(document);
    // Landing on a fragment: mark it once layout (fonts, MathML) has settled.
    if (window.location.hash.length > 1) setTimeout(markFromHash, 150);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
