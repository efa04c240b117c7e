"use strict";
// The worklist of the embargo report: filters, sorting and pages over the embedded
// rows, and one order's evidence at a time. Every text from the decisions is set as
// text, never as markup.
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var rows = data.rows;
  var rules = data.rules;
  var PAGE = 50;
  var SEVERITY = { block: 2, review: 1, clear: 0 };
  var state = { decision: "", rule: "", list: "", country: "", text: "", sort: "", dir: 1, page: 0, view: [] };

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) { return; }
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function badge(decision) { return el("span", { "class": "badge " + decision, text: decision }); }

  function fillSelect(select, values) {
    values.forEach(function (v) {
      select.appendChild(el("option", { value: v[0], text: v[1] }));
    });
  }

  function distinct(key) {
    var seen = {};
    rows.forEach(function (r) { r[key].forEach(function (v) { seen[v] = (seen[v] || 0) + 1; }); });
    return Object.keys(seen).sort().map(function (v) { return [v, v + " (" + seen[v] + ")"]; });
  }

  fillSelect($("f-rule"), rules.map(function (r, k) { return [String(k), r.id + " (" + r.orders + ")"]; }));
  fillSelect($("f-list"), distinct("lists"));
  fillSelect($("f-country"), distinct("countries"));

  // Names of a row, for the search box: the entities and texts its hits matched.
  function searchText(r) {
    var parts = [r.id];
    var d = r.detail === undefined ? null : data.details[r.detail];
    if (d) {
      d.hits.forEach(function (h) { parts.push(h.input || "", h.name || "", h.entity || "", h.category || ""); });
    }
    return parts.join(" ").toLowerCase();
  }
  var haystacks = rows.map(searchText);

  function keep(r, k) {
    if (state.decision && r.decision !== state.decision) { return false; }
    if (state.rule !== "" && r.rules.indexOf(Number(state.rule)) < 0) { return false; }
    if (state.list && r.lists.indexOf(state.list) < 0) { return false; }
    if (state.country && r.countries.indexOf(state.country) < 0) { return false; }
    if (state.text && haystacks[k].indexOf(state.text.toLowerCase()) < 0) { return false; }
    return true;
  }

  function compare(a, b) {
    var ra = rows[a], rb = rows[b], c = 0;
    switch (state.sort) {
      case "id": c = ra.id.localeCompare(rb.id, undefined, { numeric: true }); break;
      case "decision": c = SEVERITY[ra.decision] - SEVERITY[rb.decision]; break;
      case "score": c = (ra.score === undefined ? -1 : ra.score) - (rb.score === undefined ? -1 : rb.score); break;
      case "rules": c = ra.rules.length - rb.rules.length; break;
      case "lists": c = ra.lists.join(",").localeCompare(rb.lists.join(",")); break;
      case "countries": c = ra.countries.join(",").localeCompare(rb.countries.join(",")); break;
      default: return (SEVERITY[rb.decision] - SEVERITY[ra.decision]) || (a - b);
    }
    return c * state.dir || (a - b);
  }

  function update() {
    state.view = [];
    for (var k = 0; k < rows.length; k++) { if (keep(rows[k], k)) { state.view.push(k); } }
    state.view.sort(compare);
    var pages = Math.max(1, Math.ceil(state.view.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    render(pages);
  }

  function render(pages) {
    var body = document.querySelector("#orders tbody");
    body.textContent = "";
    var start = state.page * PAGE;
    state.view.slice(start, start + PAGE).forEach(function (k) {
      var r = rows[k];
      var tr = el("tr", { "data-row": String(k) }, [
        el("td", {}, [r.id, r.changed ? el("span", { "class": "badge changed", text: "changed" }) : null]),
        el("td", {}, [badge(r.decision)]),
        el("td", { text: r.score === undefined ? "" : r.score.toFixed(3) }),
        el("td", { text: r.rules.map(function (i) { return rules[i].id; }).join(", ") }),
        el("td", { text: r.lists.join(", ") }),
        el("td", { text: r.countries.join(", ") })
      ]);
      tr.addEventListener("click", function () { show(k, tr); });
      body.appendChild(tr);
    });
    $("row-count").textContent = state.view.length + " of " + rows.length + " orders held or blocked";
    $("row-count").setAttribute("data-rows", String(state.view.length));
    $("page-info").textContent = "page " + (state.page + 1) + " of " + pages;
    $("page-prev").disabled = state.page === 0;
    $("page-next").disabled = state.page >= pages - 1;
    document.querySelectorAll("#orders th").forEach(function (th) {
      th.setAttribute("aria-sort", th.getAttribute("data-sort") === state.sort ? (state.dir > 0 ? "ascending" : "descending") : "none");
    });
  }

  // Character offsets (Unicode scalar values, as the decisions count them) of the
  // words of `text` the hit matched.
  function norm(s) { return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }

  function nameRanges(hit, chars) {
    var words = {};
    var ex = hit.explanation || "";
    ex.split("; ").forEach(function (part) {
      var m = /^(.+?) ~ /.exec(part);
      if (m) { m[1].split(" ").forEach(function (w) { words[w] = true; }); }
    });
    if (!ex && hit.name) { norm(hit.name).split(/[^\p{L}\p{N}]+/u).forEach(function (w) { if (w) { words[w] = true; } }); }
    var ranges = [], start = -1;
    for (var i = 0; i <= chars.length; i++) {
      var word = i < chars.length && /[\p{L}\p{N}]/u.test(chars[i]);
      if (word && start < 0) { start = i; }
      if (!word && start >= 0) {
        if (words[norm(chars.slice(start, i).join(""))]) { ranges.push([start, i]); }
        start = -1;
      }
    }
    return ranges;
  }

  function ranges(hit, chars) {
    if (hit.kind === "entity" && hit.by === "name") { return nameRanges(hit, chars); }
    if (hit.kind === "goods") {
      return (hit.evidence || []).filter(function (e) { return e.kind === "term"; })
        .map(function (e) { return [e.start, e.end]; });
    }
    if (hit.start !== undefined && hit.end !== undefined) { return [[hit.start, hit.end]]; }
    return [];
  }

  function highlighted(hit) {
    var chars = Array.from(hit.input || "");
    var marks = ranges(hit, chars).filter(function (r) { return r[0] < r[1] && r[1] <= chars.length; })
      .sort(function (a, b) { return a[0] - b[0]; });
    var box = el("div", { "class": "evidence" });
    var at = 0;
    marks.forEach(function (r) {
      if (r[0] < at) { return; }
      box.appendChild(document.createTextNode(chars.slice(at, r[0]).join("")));
      box.appendChild(el("mark", { text: chars.slice(r[0], r[1]).join("") }));
      at = r[1];
    });
    box.appendChild(document.createTextNode(chars.slice(at).join("")));
    return box;
  }

  function entityCard(id) {
    var e = data.entities[id];
    if (!e) { return el("p", { "class": "muted", text: "Listed entity " + id + ": not in the ruleset the report was made with." }); }
    var dl = el("dl", { "class": "entity" });
    function row(label, value) {
      if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) { return; }
      dl.appendChild(el("dt", { text: label }));
      dl.appendChild(el("dd", { text: Array.isArray(value) ? value.join("; ") : String(value) }));
    }
    row("Listed entity", e.name + " (" + e.kind + ")");
    row("List", e.list.name + ", " + e.list.title + ", source id " + e.source_id + ", as of " + e.list.as_of);
    row("Designated", e.listed);
    row("Other names", (e.aliases || []).map(function (a) {
      return a.name + " (" + a.relation + (a.strength === "weak" ? ", weak" : "") + ")";
    }));
    row("Born", e.born);
    row("Nationality", e.nationalities);
    row("Countries", e.countries);
    row("Programs", e.programs);
    row("Identifiers", (e.identifiers || []).map(function (i) { return i.scheme + " " + i.value + (i.note ? " (" + i.note + ")" : ""); }));
    row("Positions", e.positions);
    row("Addresses", e.addresses);
    row("Remarks", e.remarks);
    return dl;
  }

  function hitBlock(hit) {
    var rule = rules.filter(function (r) { return r.id === hit.rule; })[0] || {};
    var what = hit.kind === "entity" ? (hit.name + " (" + hit.entity + ")" + (hit.score === undefined ? "" : ", score " + Number(hit.score).toFixed(3)))
      : hit.kind === "goods" ? ("category " + hit.category)
      : hit.kind === "route" ? ("place " + hit.place)
      : hit.kind === "value" ? ("order value USD " + hit.usd)
      : (hit.field || "");
    var block = el("div", { "class": "hit" }, [
      el("h4", {}, [badge(hit.decision || "review"), " ", hit.rule + (rule.title ? ": " + rule.title : "")]),
      el("div", { "class": "muted", text: hit.reason || rule.reason || "" }),
      el("div", {}, ["Matched in ", el("code", { text: hit.field || "" }), ": " + what])
    ]);
    if (hit.input) { block.appendChild(highlighted(hit)); }
    if (hit.kind === "goods") {
      var codes = (hit.evidence || []).filter(function (e) { return e.kind === "hs"; }).map(function (e) { return e.text; });
      if (codes.length) { block.appendChild(el("div", { text: "HS code: " + codes.join(", ") })); }
    }
    var basis = hit.basis || rule.basis || [];
    if (basis.length) {
      block.appendChild(el("div", { text: "Legal basis:" }));
      block.appendChild(el("ul", { "class": "basis" }, basis.map(function (b) { return el("li", { text: b }); })));
    }
    if (hit.explanation) { block.appendChild(el("div", { "class": "muted", text: hit.explanation })); }
    if (hit.entity) { block.appendChild(entityCard(hit.entity)); }
    return block;
  }

  function show(k, tr) {
    document.querySelectorAll("#orders tr.selected").forEach(function (t) { t.classList.remove("selected"); });
    if (tr) { tr.classList.add("selected"); }
    var r = rows[k];
    var panel = $("detail");
    panel.textContent = "";
    panel.hidden = false;
    panel.appendChild(el("h3", {}, ["Order " + r.id + " ", badge(r.decision)]));
    var d = r.detail === undefined ? null : data.details[r.detail];
    if (!d) {
      panel.appendChild(el("p", { "class": "muted", text: "Its evidence was left out of this report to keep it small." }));
      return;
    }
    if (d.previous) {
      var box = el("div", { "class": "changes" }, [
        el("div", {}, ["Changed by a re-screen: was ", badge(d.previous.decision || "clear"), " with ruleset ", el("code", { text: d.previous.ruleset || "" })])
      ]);
      box.appendChild(el("ul", {}, (d.changes || []).map(function (c) { return el("li", { text: c.text || JSON.stringify(c) }); })));
      panel.appendChild(box);
    }
    d.hits.forEach(function (h) { panel.appendChild(hitBlock(h)); });
    if (d.allowed && d.allowed.length) {
      panel.appendChild(el("h4", { text: "Allowed (reviewed earlier and cleared)" }));
      panel.appendChild(el("ul", {}, d.allowed.map(function (a) {
        return el("li", { text: (a.name || "") + " (" + (a.entity || "") + ") in " + (a.field || "") + ", allowance " + (a.allow || "") + (a.cleared ? ": " + a.cleared : "") });
      })));
    }
    var form = disposeForm(r, d);
    if (form) { panel.appendChild(form); }
    panel.scrollIntoView({ block: "nearest" });
  }

  // Dispositions: hits an analyst clears here, exported as `allow` items of the rules
  // language (the same text `embargo dispose` writes), to load with --add-rules.
  var dispositions = [];
  var DAY = 86400000;
  function isoDay(t) { return new Date(t).toISOString().slice(0, 10); }
  function today() { return isoDay(Date.now()); }
  function yearAfter(day) { return isoDay(Date.parse(day + "T00:00:00Z") + 365 * DAY); }
  function quote(s) {
    return "\"" + String(s).replace(/[\\"\n\t\u0000-\u001f\u007f-\u009f]/g, function (c) {
      if (c === "\\") { return "\\\\"; }
      if (c === "\"") { return "\\\""; }
      if (c === "\n") { return "\\n"; }
      if (c === "\t") { return "\\t"; }
      return "\\u{" + c.charCodeAt(0).toString(16) + "}";
    }) + "\"";
  }
  function entityId(id) {
    var k = id.indexOf(":");
    if (k < 0) { return id; }
    var local = id.slice(k + 1);
    return /^[A-Za-z0-9_.\/-]+$/.test(local) ? id : id.slice(0, k + 1) + quote(local);
  }
  function identPart(s) { return String(s).replace(/[^A-Za-z0-9-]+/g, "_").replace(/^_+|_+$/g, ""); }
  function allowText(x, id) {
    var lines = ["allow " + id + " {", "  entity " + x.entities.map(entityId).join(", "), "  name " + quote(x.party),
      "  because " + quote(x.because), "  by " + quote(x.by), "  on " + quote(x.on), "  expires " + quote(x.expires), "}"];
    return lines.join("\n") + "\n";
  }
  function exportText() {
    var taken = {};
    return "# Dispositions recorded in an embargo report on " + today() + ": load with --add-rules.\n\n" +
      dispositions.map(function (x) {
        var base = ["cleared", x.order, x.entities[0], x.on].map(identPart).filter(Boolean).join("_"), id = base, n = 2;
        while (taken[id]) { id = base + "_" + n; n += 1; }
        taken[id] = true;
        return allowText(x, id);
      }).join("\n");
  }
  function refreshExport() {
    var b = $("export-dispositions");
    b.disabled = dispositions.length === 0;
    b.textContent = "Export dispositions" + (dispositions.length ? " (" + dispositions.length + ")" : "");
  }
  $("export-dispositions").addEventListener("click", function () {
    var url = URL.createObjectURL(new Blob([exportText()], { type: "text/plain" }));
    var a = el("a", { href: url, download: "dispositions-" + today() + ".emb" });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });

  // The form under an order's evidence: its name hits, to clear with a reason, by
  // whom and until when.
  function disposeForm(r, d) {
    var hits = d.hits.filter(function (h) { return h.kind === "entity" && h.by === "name" && h.input && h.entity; });
    if (!hits.length) { return null; }
    var box = el("div", { "class": "dispose" }, [el("h4", { text: "Clear as a false positive" })]);
    var checks = hits.map(function (h, k) {
      var c = el("input", { type: "checkbox", id: "d-hit-" + k });
      // A block says the party is the listed one: its box is ticked by hand, once that
      // is disproved, as `embargo dispose` asks for `--clear-block`.
      var blocks = h.decision === "block";
      c.checked = !blocks;
      var label = " " + h.input + " is not " + h.name + " (" + [h.entity].concat(h.also || []).join(", ") + ")";
      box.appendChild(el("label", { "class": "dispose-hit" }, [c, label, blocks ? el("strong", { text: " blocks the order: tick only once it is shown not to be the listed party" }) : null]));
      return c;
    });
    var reason = el("input", { id: "d-reason", type: "text", placeholder: "false positive: different date of birth", size: "48" });
    var by = el("input", { id: "d-by", type: "text", placeholder: "your name", value: state.by || "" });
    var until = el("input", { id: "d-until", type: "date", value: yearAfter(today()) });
    var record = el("button", { id: "d-record", type: "button", text: "Record disposition" });
    var note = el("span", { id: "d-note", "class": "muted", "aria-live": "polite" });
    box.appendChild(el("div", { "class": "filters" }, [el("label", {}, ["Reason ", reason]), el("label", {}, ["By ", by]), el("label", {}, ["Until ", until]), record, note]));
    record.addEventListener("click", function () {
      var why = reason.value.trim(), who = by.value.trim(), end = until.value, on = today();
      if (!why || !who) { note.textContent = "Give a reason and your name."; return; }
      if (!/^\d{4}-\d{2}-\d{2}$/.test(end) || end < on) { note.textContent = "Until must be a date from today on."; return; }
      state.by = who;
      var n = 0;
      hits.forEach(function (h, k) {
        if (!checks[k].checked) { return; }
        dispositions = dispositions.filter(function (x) { return !(x.order === r.id && x.entities[0] === h.entity && x.party === h.input); });
        dispositions.push({ order: r.id, entities: [h.entity].concat(h.also || []), party: h.input, because: why, by: who, on: on, expires: end });
        n += 1;
      });
      note.textContent = n ? n + " hit(s) cleared; export the dispositions to apply them." : "No hit selected.";
      refreshExport();
    });
    return box;
  }

  function bind(id, key) {
    $(id).addEventListener(id === "f-text" ? "input" : "change", function (ev) {
      state[key] = ev.target.value;
      state.page = 0;
      update();
    });
  }
  bind("f-decision", "decision");
  bind("f-rule", "rule");
  bind("f-list", "list");
  bind("f-country", "country");
  bind("f-text", "text");
  $("f-clear").addEventListener("click", function () {
    ["decision", "rule", "list", "country", "text"].forEach(function (k) { state[k] = ""; $("f-" + k).value = ""; });
    state.page = 0;
    update();
  });
  $("page-prev").addEventListener("click", function () { state.page -= 1; update(); });
  $("page-next").addEventListener("click", function () { state.page += 1; update(); });
  document.querySelectorAll("#orders th").forEach(function (th) {
    th.addEventListener("click", function () {
      var key = th.getAttribute("data-sort");
      state.dir = state.sort === key ? -state.dir : (key === "id" || key === "lists" || key === "countries" ? 1 : -1);
      state.sort = key;
      update();
    });
  });
  // A view can be shared as a link: report.html#decision=block&rule=2
  (location.hash || "").replace(/^#/, "").split("&").forEach(function (pair) {
    var kv = pair.split("=");
    if (kv.length === 2 && ["decision", "rule", "list", "country", "text"].indexOf(kv[0]) >= 0) {
      state[kv[0]] = decodeURIComponent(kv[1]);
      $("f-" + kv[0]).value = state[kv[0]];
    }
  });
  update();
}());
