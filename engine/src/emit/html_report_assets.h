// SPDX-License-Identifier: Apache-2.0
// The static stylesheet and script of the HTML report (html_report_writer),
// kept apart so the writer reads as the document's structure. Both are
// inlined into the page: the report must open from a CI artifact or a mail
// attachment with no network, so nothing here loads a font, image or script.
//
// Colours: coverage is shown in 11 bands, c0 (0-9.9%) .. c9 (90-99.9%) and
// c10 (100%), plus cn for no statements. The writer picks the band of each
// table bar and the script the band of each treemap tile with the same
// formula, floor(100 * covered / statements / 10), and the colours live only
// here, so a bar and a tile of the same coverage always match.
//
// The script:
//  - sorts the package table when a column header is clicked (first click
//    ascending, second descending) and on load from a "#sort=COLUMN" or
//    "#sort=-COLUMN" fragment (COLUMN: name, statements, covered, percent),
//    which it also keeps up to date, so a sorted view can be linked to and
//    tests can see a sorted table in a --dump-dom of the page;
//  - filters the table (and dims the treemap) by a package substring;
//  - opens a package's files for a "#files-N" fragment and shows a file's
//    source, cloned from its <template id="src-N">, for "#file=N";
//  - lays out the treemap at load and on resize: a squarified layout (Bruls,
//    Huizing, van Wijk 2000) of packages by statements, each subdivided into
//    its files, from the JSON in <script id="report-data">:
//      {"packages": [[name, [[path, statements, covered], ...]], ...]}
//    Files without statements have no area; they get a hidden tile so that
//    the treemap still holds one .tile per file.
#ifndef COVMERGE_EMIT_HTML_REPORT_ASSETS_H_
#define COVMERGE_EMIT_HTML_REPORT_ASSETS_H_

namespace covmerge::internal {

inline constexpr char kHtmlReportCss[] = R"css(
:root {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #eef1f4; --bg: #f6f8fa;
  --c0: #c9332b; --c1: #d9472f; --c2: #e5623a; --c3: #ef8146; --c4: #f5a052;
  --c5: #f4bf5f; --c6: #d9cc63; --c7: #b2c862; --c8: #86bb5e; --c9: #56a758;
  --c10: #2f8f4a; --cn: #c4cbd3;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--fg); background: var(--bg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
        "Noto Sans", "Liberation Sans", Arial, sans-serif;
}
.num, .pct-text, #total { font-variant-numeric: tabular-nums; }
header { background: #fff; border-bottom: 1px solid var(--line); }
.wrap { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
header .wrap { display: flex; align-items: center; gap: 32px; padding-top: 18px; padding-bottom: 18px; flex-wrap: wrap; }
.headline { display: flex; align-items: baseline; gap: 10px; }
#total { font-size: 40px; font-weight: 700; line-height: 1; letter-spacing: -0.02em; }
.headline .of { color: var(--muted); font-size: 15px; }
.titles { flex: 1 1 320px; min-width: 0; }
h1 { font-size: 17px; margin: 0 0 4px; font-weight: 600; overflow-wrap: anywhere; }
.stats { color: var(--muted); margin: 0; }
.stats b { color: var(--fg); font-weight: 600; }
.summary { display: flex; flex-direction: column; gap: 8px; }
.total-bar { width: 100%; }
.total-bar .bar { width: 100%; height: 10px; }
main.wrap { padding-top: 20px; padding-bottom: 32px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin-bottom: 20px; overflow: hidden; }
.section-head { display: flex; align-items: center; gap: 16px; padding: 12px 16px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
h2 { font-size: 15px; margin: 0; font-weight: 600; }
.section-head .hint { color: var(--muted); font-size: 12px; margin-right: auto; }
#filter {
  font: inherit; font-size: 13px; padding: 4px 8px; width: 240px; max-width: 100%;
  border: 1px solid var(--line); border-radius: 6px; background: var(--bg);
}
#filter:focus { outline: 2px solid #0969da; outline-offset: -1px; background: #fff; }
.table-scroll { overflow: auto; max-height: 70vh; }  /* the treemap stays in reach of 1,000s of packages */
table { width: 100%; border-collapse: collapse; }
th, td { padding: 6px 16px; text-align: left; white-space: nowrap; }
th {
  font-size: 12px; font-weight: 600; color: var(--muted); background: #fafbfc;
  border-bottom: 1px solid var(--line); cursor: pointer; user-select: none; position: sticky; top: 0;
}
th:hover { color: var(--fg); }
th:focus-visible { outline: 2px solid #0969da; outline-offset: -2px; }
th::after { content: "\2195"; opacity: 0.35; margin-left: 4px; }
th[aria-sort="ascending"]::after { content: "\2191"; opacity: 1; }
th[aria-sort="descending"]::after { content: "\2193"; opacity: 1; }
td { border-bottom: 1px solid var(--soft); }
tbody tr:last-child td { border-bottom: 0; }
tbody tr:hover td { background: #f6f8fa; }
tbody tr.hidden { display: none; }
.num { text-align: right; }
td.name { white-space: normal; overflow-wrap: anywhere; width: 100%; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
td.pct { min-width: 200px; }
.pct-cell { display: flex; align-items: center; gap: 10px; }
.pct-text { width: 48px; text-align: right; font-weight: 600; }
.bar { display: inline-block; width: 130px; height: 8px; border-radius: 4px; background: var(--soft); overflow: hidden; vertical-align: middle; }
.bar > span { display: block; height: 100%; border-radius: 4px; }
.c0 { background: var(--c0); } .c1 { background: var(--c1); } .c2 { background: var(--c2); }
.c3 { background: var(--c3); } .c4 { background: var(--c4); } .c5 { background: var(--c5); }
.c6 { background: var(--c6); } .c7 { background: var(--c7); } .c8 { background: var(--c8); }
.c9 { background: var(--c9); } .c10 { background: var(--c10); } .cn { background: var(--cn); }
.empty { padding: 24px 16px; color: var(--muted); margin: 0; }
.legend { display: flex; align-items: center; gap: 6px; font-size: 12px; color: var(--muted); }
.legend .swatches { display: flex; }
.legend .swatches i { display: block; width: 14px; height: 10px; }
.legend .swatches i:first-child { border-radius: 3px 0 0 3px; }
.legend .swatches i:last-child { border-radius: 0 3px 3px 0; }
#treemap { position: relative; margin: 12px 16px 16px; background: #fff; overflow: hidden; }
#treemap .pkg { position: absolute; background: #6e7781; border-radius: 2px; overflow: hidden; }
#treemap .pkg.dim { opacity: 0.25; }
#treemap .pkg-label {
  position: absolute; left: 0; top: 0; right: 0; height: 18px; padding: 1px 6px;
  color: #fff; font-size: 11px; font-weight: 600; line-height: 16px;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
#treemap .tile {
  position: absolute; overflow: hidden; padding: 2px 4px; font-size: 11px; line-height: 14px;
  color: #1f2328; white-space: nowrap; text-overflow: ellipsis;
}
#treemap .tile > span { display: block; overflow: hidden; text-overflow: ellipsis; }
#treemap .tile .tile-pct { font-weight: 600; opacity: 0.85; }
#treemap .tile.c0, #treemap .tile.c1, #treemap .tile.c10 { color: #fff; }
#treemap .tile:hover, #treemap .pkg-label:hover { filter: brightness(1.1); }
#tip {
  position: fixed; z-index: 10; pointer-events: none; display: none; max-width: 480px;
  padding: 6px 9px; border-radius: 6px; background: rgba(31, 35, 40, 0.94); color: #fff;
  font-size: 12px; line-height: 1.4; box-shadow: 0 4px 12px rgba(0, 0, 0, 0.2);
}
#tip .path { font-weight: 600; overflow-wrap: anywhere; }
#tip .detail { color: #d1d9e0; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 0 24px 24px; }
details.files { border-top: 1px solid var(--line, #e3e6ea); padding: 6px 0; }
details.files summary { cursor: pointer; }
details.files table { width: 100%; margin: 6px 0 4px; }
pre.source { font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; overflow-x: auto; margin: 0; tab-size: 4; }
.l { display: block; white-space: pre; }
.l i { display: inline-block; width: 4.5em; padding-right: 1em; text-align: right; color: var(--muted); font-style: normal; user-select: none; }
.l.cov { background: #e3f6e3; }
.l.unc { background: #fbe2e2; }
.legend .l { display: inline; padding: 0 6px; }
@media print { #filter, #tip { display: none; } section { break-inside: avoid; } }
)css";

inline constexpr char kHtmlReportJs[] = R"js(
(function () {
  "use strict";
  var COLUMNS = ["name", "statements", "covered", "percent"];
  var table = document.getElementById("packages");
  var tbody = table ? table.tBodies[0] : null;
  var filterBox = document.getElementById("filter");
  var box = document.getElementById("treemap");
  var tip = document.getElementById("tip");
  var data = JSON.parse(document.getElementById("report-data").textContent);

  // The same band as the writer's: floor(100 * covered / statements / 10).
  function band(statements, covered) {
    return statements > 0 ? "c" + Math.floor(100 * covered / statements / 10) : "cn";
  }
  function percentText(statements, covered) {
    return statements > 0 ? (100 * covered / statements).toFixed(1) + "%" : "no statements";
  }
  function byName(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  // --- Table sorting -------------------------------------------------------
  function sortKey(row, column) {
    var d = row.dataset;
    if (column === "name") return d.package;
    if (column === "percent") return +d.statements > 0 ? 100 * d.covered / d.statements : -1;
    return +d[column];
  }
  function sortTable(column, descending) {
    if (!tbody || COLUMNS.indexOf(column) < 0) return;
    var rows = Array.prototype.slice.call(tbody.rows);
    var sign = descending ? -1 : 1;
    rows.sort(function (a, b) {
      var ka = sortKey(a, column), kb = sortKey(b, column);
      var c = ka < kb ? -1 : ka > kb ? 1 : 0;
      return sign * c || byName(a.dataset.package, b.dataset.package);
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) { fragment.appendChild(row); });
    tbody.appendChild(fragment);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      if (th.dataset.sort === column) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
    table.dataset.sortedBy = (descending ? "-" : "") + column;
  }
  function sortFromFragment() {
    var m = /^#sort=(-?)([a-z]+)$/.exec(location.hash);
    if (m) sortTable(m[2], m[1] === "-");
  }
  if (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      function activate() {
        var column = th.dataset.sort;
        var descending = th.getAttribute("aria-sort") === "ascending";
        sortTable(column, descending);
        if (history.replaceState) history.replaceState(null, "", "#sort=" + (descending ? "-" : "") + column);
      }
      th.addEventListener("click", activate);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); activate(); }
      });
    });
    sortFromFragment();
    window.addEventListener("hashchange", sortFromFragment);
  }

  // --- Files and sources ----------------------------------------------------
  // "#files-N" opens package N's files; "#file=N" shows file N's source,
  // cloned from its <template>, in the source section.
  function openFromFragment() {
    var m = /^#files-(\d+)$/.exec(location.hash);
    if (m) {
      var details = document.getElementById("files-" + m[1]);
      if (details) { details.open = true; details.scrollIntoView(); }
      return;
    }
    m = /^#file=(\d+)$/.exec(location.hash);
    var template = m && document.getElementById("src-" + m[1]);
    var section = document.getElementById("source-section");
    if (!template || !section) return;
    var view = document.getElementById("source-view");
    while (view.firstChild) view.removeChild(view.firstChild);
    view.appendChild(template.content.cloneNode(true));
    document.getElementById("source-title").textContent = template.dataset.path;
    section.hidden = false;
    window.scrollTo(0, section.getBoundingClientRect().top + window.pageYOffset);
  }
  openFromFragment();
  window.addEventListener("hashchange", openFromFragment);

  // --- Filter --------------------------------------------------------------
  function applyFilter() {
    var needle = filterBox ? filterBox.value.toLowerCase() : "";
    function hit(name) { return !needle || name.toLowerCase().indexOf(needle) >= 0; }
    if (tbody) {
      Array.prototype.forEach.call(tbody.rows, function (row) {
        row.classList.toggle("hidden", !hit(row.dataset.package));
      });
    }
    Array.prototype.forEach.call(box.querySelectorAll(".pkg"), function (pkg) {
      pkg.classList.toggle("dim", !hit(pkg.dataset.package));
    });
  }
  if (filterBox) filterBox.addEventListener("input", applyFilter);

  // --- Treemap ---------------------------------------------------------------
  // Squarified layout of `values` (sorted descending, all > 0) in the
  // rectangle (x, y, w, h): rows are laid along the shorter side and grow
  // while that improves their worst aspect ratio. Returns [x, y, w, h] per
  // value, in order.
  function squarify(values, x, y, w, h) {
    var rects = new Array(values.length);
    var total = 0, i;
    for (i = 0; i < values.length; i++) total += values[i];
    var scale = total > 0 ? (w * h) / total : 0;
    i = 0;
    while (i < values.length) {
      var side = Math.min(w, h);
      if (!(side > 0) || scale === 0) {
        for (; i < values.length; i++) rects[i] = [x, y, 0, 0];
        break;
      }
      var sum = 0, min = Infinity, max = 0, worst = Infinity, j = i;
      while (j < values.length) {
        var a = values[j] * scale;
        var s = sum + a, mn = Math.min(min, a), mx = Math.max(max, a);
        var ratio = Math.max((side * side * mx) / (s * s), (s * s) / (side * side * mn));
        if (ratio > worst) break;
        worst = ratio; sum = s; min = mn; max = mx; j++;
      }
      var thick = sum / side, offset = 0, k;
      if (w >= h) {
        for (k = i; k < j; k++) { var th = values[k] * scale / thick; rects[k] = [x, y + offset, thick, th]; offset += th; }
        x += thick; w = Math.max(0, w - thick);
      } else {
        for (k = i; k < j; k++) { var tw = values[k] * scale / thick; rects[k] = [x + offset, y, tw, thick]; offset += tw; }
        y += thick; h = Math.max(0, h - thick);
      }
      i = j;
    }
    return rects;
  }

  // Places `el` on whole pixels, leaving a gap of `gap` pixels at its right
  // and bottom edges so neighbours are separated by the parent's colour.
  function place(el, r, gap) {
    var x0 = Math.round(r[0]), y0 = Math.round(r[1]);
    var x1 = Math.round(r[0] + r[2]), y1 = Math.round(r[1] + r[3]);
    var w = Math.max(0, x1 - x0 - gap), h = Math.max(0, y1 - y0 - gap);
    el.style.cssText = "left:" + x0 + "px;top:" + y0 + "px;width:" + w + "px;height:" + h + "px";
    if (w === 0 || h === 0) el.style.display = "none";
    return [w, h];
  }

  // Package names shown in the treemap drop the directories all packages
  // share (e.g. "example.com/shop/"); the tooltip keeps the full name.
  function commonDirectory(names) {
    if (names.length < 2) return "";
    var first = names[0], end = first.length, i;
    for (i = 1; i < names.length; i++) {
      var n = names[i], k = 0;
      while (k < end && k < n.length && n.charCodeAt(k) === first.charCodeAt(k)) k++;
      end = k;
    }
    var prefix = first.slice(0, end);
    var slash = prefix.lastIndexOf("/");
    return slash < 0 ? "" : prefix.slice(0, slash + 1);
  }

  var packages = data.packages.map(function (p) {
    var files = p[1].map(function (f) { return { path: f[0], statements: f[1], covered: f[2] }; });
    var statements = 0, covered = 0;
    files.forEach(function (f) { statements += f.statements; covered += f.covered; });
    files.sort(function (a, b) { return b.statements - a.statements || byName(a.path, b.path); });
    return { name: p[0], files: files, statements: statements, covered: covered };
  });
  packages.sort(function (a, b) { return b.statements - a.statements || byName(a.name, b.name); });
  var shared = commonDirectory(packages.map(function (p) { return p.name; }));

  function baseName(path) { var i = path.lastIndexOf("/"); return i < 0 ? path : path.slice(i + 1); }

  function render() {
    var width = box.clientWidth;
    var height = Math.round(Math.max(280, Math.min(width * 0.38, 640)));
    box.style.height = height + "px";
    var fragment = document.createDocumentFragment();
    var rects = squarify(packages.map(function (p) { return p.statements; }), 0, 0, width, height);
    packages.forEach(function (p, i) {
      var pkg = document.createElement("div");
      pkg.className = "pkg";
      pkg.dataset.package = p.name;
      var size = place(pkg, rects[i], 2);
      var label = size[0] >= 48 && size[1] >= 44 ? 18 : 0;
      if (label) {
        var head = document.createElement("div");
        head.className = "pkg-label";
        head.textContent = (p.name.slice(shared.length) || p.name) +
            (p.statements > 0 ? " \u00b7 " + percentText(p.statements, p.covered) : "");
        pkg.appendChild(head);
      }
      var inner = squarify(p.files.map(function (f) { return f.statements; }),
                           1, 1 + label, Math.max(0, size[0] - 1), Math.max(0, size[1] - 1 - label));
      p.files.forEach(function (f, k) {
        var tile = document.createElement("div");
        tile.className = "tile " + band(f.statements, f.covered);
        tile.dataset.path = f.path;
        tile.dataset.statements = f.statements;
        tile.dataset.covered = f.covered;
        var t = place(tile, inner[k], 1);
        if (t[0] >= 40 && t[1] >= 18) {
          var name = document.createElement("span");
          name.textContent = baseName(f.path);
          tile.appendChild(name);
          if (t[1] >= 34 && f.statements > 0) {
            var pct = document.createElement("span");
            pct.className = "tile-pct";
            pct.textContent = percentText(f.statements, f.covered);
            tile.appendChild(pct);
          }
        }
        pkg.appendChild(tile);
      });
      fragment.appendChild(pkg);
    });
    box.textContent = "";
    box.appendChild(fragment);
    applyFilter();
  }

  // One tooltip element, driven by delegation, instead of a listener or a
  // title per tile: the treemap may hold 100,000 tiles.
  function showTip(e) {
    var target = e.target.closest ? e.target.closest(".tile, .pkg-label") : null;
    if (!target) { tip.style.display = "none"; return; }
    var path, statements, covered;
    if (target.classList.contains("tile")) {
      path = target.dataset.path; statements = +target.dataset.statements; covered = +target.dataset.covered;
    } else {
      var pkg = target.parentNode;
      var p = packages.filter(function (q) { return q.name === pkg.dataset.package; })[0];
      path = p.name; statements = p.statements; covered = p.covered;
    }
    tip.textContent = "";
    var title = document.createElement("div");
    title.className = "path";
    title.textContent = path;
    var detail = document.createElement("div");
    detail.className = "detail";
    detail.textContent = percentText(statements, covered) + " \u00b7 " + covered.toLocaleString("en-US") +
        " of " + statements.toLocaleString("en-US") + " statements";
    tip.appendChild(title);
    tip.appendChild(detail);
    tip.style.display = "block";
    var x = e.clientX + 14, y = e.clientY + 16;
    if (x + tip.offsetWidth > window.innerWidth - 8) x = Math.max(8, e.clientX - tip.offsetWidth - 14);
    if (y + tip.offsetHeight > window.innerHeight - 8) y = Math.max(8, e.clientY - tip.offsetHeight - 16);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  box.addEventListener("mousemove", showTip);
  box.addEventListener("mouseleave", function () { tip.style.display = "none"; });

  render();
  var lastWidth = box.clientWidth, pending = 0;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      if (box.clientWidth !== lastWidth) { lastWidth = box.clientWidth; render(); }
    }, 150);
  });
})();
)js";

}  // namespace covmerge::internal

#endif  // COVMERGE_EMIT_HTML_REPORT_ASSETS_H_
