// compoundwatch search page. No build step, no dependencies.
//
// Crawled text is hostile: everything from the API is inserted with
// textContent, except hit.snippet, which the server guarantees to be
// escaped text with <mark> tags only.
"use strict";

(function () {
  const LIST_PARAMS = ["compound", "tycoon", "province", "outlet"];
  const FACETS = [
    { key: "compounds", param: "compound", title: "Compounds", entity: true },
    { key: "tycoons", param: "tycoon", title: "Tycoons", entity: true },
    { key: "provinces", param: "province", title: "Provinces", entity: true },
    { key: "outlet", param: "outlet", title: "Outlets" },
    { key: "year", param: "year", title: "Years" },
  ];
  const FACET_SHOWN = 8;
  const PAGE = 20;
  const DEBOUNCE_MS = 220;

  const $ = (id) => document.getElementById(id);
  const input = $("q");
  const sortSel = $("sort");
  const hitsEl = $("hits");
  const facetsEl = $("facets");
  const statusEl = $("status");
  const activeEl = $("active");
  const pagerEl = $("pager");

  let state = readState(new URLSearchParams(location.search));
  let inflight = null;
  let timer = 0;
  const expanded = new Set();

  // el builds an element; strings become text nodes, never HTML.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return e;
  }

  // Only absolute http(s) links from crawled data become hrefs.
  function safeHref(u) {
    return typeof u === "string" && /^https?:\/\//i.test(u) ? u : null;
  }
  // Links the server builds into this site.
  function localHref(u) {
    return typeof u === "string" && u.startsWith("/") && !u.startsWith("//") ? u : null;
  }

  function readState(p) {
    const s = { q: p.get("q") || "", sort: p.get("sort") || "", from: p.get("from") || "", to: p.get("to") || "",
      offset: parseInt(p.get("offset") || "0", 10) || 0, duplicate_of: p.get("duplicate_of") || "" };
    for (const k of LIST_PARAMS) s[k] = p.getAll(k);
    return s;
  }

  function params(s) {
    const p = new URLSearchParams();
    if (s.q) p.set("q", s.q);
    for (const k of LIST_PARAMS) for (const v of s[k]) p.append(k, v);
    for (const k of ["from", "to", "sort", "duplicate_of"]) if (s[k]) p.set(k, s[k]);
    if (s.offset) p.set("offset", String(s.offset));
    return p;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  }

  async function run() {
    clearTimeout(timer);
    const p = params(state);
    const shown = p.toString();
    history.replaceState(null, "", shown ? "/?" + shown : "/");
    // With no words to rank by, newest first reads best.
    if (!state.q && !state.sort) p.set("sort", "date");
    p.set("limit", String(PAGE));
    if (inflight) inflight.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    document.body.classList.add("loading");
    try {
      const resp = await fetch("/api/search?" + p.toString(), { signal: ctrl.signal, headers: { Accept: "application/json" } });
      const body = await resp.json();
      if (ctrl !== inflight) return;
      if (!resp.ok) {
        showError(body && body.error ? body.error : "Search failed (" + resp.status + ")");
        return;
      }
      render(body);
    } catch (err) {
      if (err.name !== "AbortError") showError("Search failed: " + err.message);
    } finally {
      if (ctrl === inflight) {
        inflight = null;
        document.body.classList.remove("loading");
      }
    }
  }

  function showError(msg) {
    statusEl.replaceChildren(el("span", { class: "notice", text: msg }));
    hitsEl.replaceChildren();
    pagerEl.replaceChildren();
  }

  function render(r) {
    // Names given in the URL come back resolved; keep the ids.
    const f = r.filters || {};
    state.compound = (f.compounds || []).map((e) => e.id);
    state.tycoon = (f.tycoons || []).map((e) => e.id);
    state.province = (f.provinces || []).map((e) => e.id);
    const parts = [r.total === 1 ? "1 document" : r.total.toLocaleString("en") + " documents"];
    if (r.total > r.hits.length) parts.push("showing " + (r.offset + 1) + "–" + (r.offset + r.hits.length));
    statusEl.replaceChildren(parts.join(", "));
    if (r.notice) statusEl.append(" ", el("span", { class: "notice", text: r.notice }));
    renderActive(r.filters || {});
    renderFacets(r.facets || {});
    hitsEl.replaceChildren(...r.hits.map(renderHit));
    if (!r.hits.length) {
      hitsEl.replaceChildren(el("li", { class: "empty", text: "No coverage matches. Try another spelling or remove a filter." }));
    }
    renderPager(r);
  }

  function renderHit(h) {
    const href = safeHref(h.url);
    const title = href
      ? el("a", { href, rel: "noopener noreferrer", target: "_blank", text: h.title })
      : el("span", { text: h.title });
    const meta = el("p", { class: "meta" },
      h.outlet ? el("span", { class: "outlet", text: h.outlet }) : null,
      h.date ? el("time", { datetime: h.date, text: h.date }) : null);
    const snippet = el("p", { class: "snippet" });
    snippet.innerHTML = h.snippet; // escaped by the server; only <mark> tags
    const ents = el("ul", { class: "entities" }, ...(h.entities || []).map((e) => {
      const link = localHref(e.url);
      const label = e.name + (e.label ? " (" + e.label + ")" : "");
      return el("li", {}, link
        ? el("a", { class: "entity type-" + e.type, href: link, title: (e.type || "") + " page", text: label })
        : el("span", { class: "entity", text: label }));
    }));
    const links = el("p", { class: "links" });
    if (href) links.append(el("a", { href, rel: "noopener noreferrer", target: "_blank", text: "Source" }));
    const orig = safeHref(h.duplicate_of);
    if (orig) links.append(el("span", {}, "Copy of ", el("a", { href: orig, rel: "noopener noreferrer", target: "_blank", text: hostOf(orig) })));
    const copies = localHref(h.copies);
    if (copies && state.duplicate_of !== h.story && (orig || h.copy_count > 0)) {
      const n = h.copy_count;
      links.append(el("a", { href: copies, class: "copies",
        text: orig ? "All copies of this story" : n + (n === 1 ? " other copy" : " other copies") + " of this story" }));
    }
    return el("li", { class: "hit" }, el("h3", {}, title), meta, snippet, ents.childElementCount ? ents : null, links);
  }

  function hostOf(u) {
    try { return new URL(u).host; } catch (_) { return u; }
  }

  function yearRange(y) { return [y + "-01-01", y + "-12-31"]; }
  function yearActive(y) {
    const [f, t] = yearRange(y);
    return state.from === f && state.to === t;
  }

  function toggle(param, value) {
    if (param === "year") {
      if (yearActive(value)) { state.from = ""; state.to = ""; }
      else [state.from, state.to] = yearRange(value);
    } else {
      const vs = state[param];
      const i = vs.indexOf(value);
      if (i >= 0) vs.splice(i, 1); else vs.push(value);
    }
    state.offset = 0;
    run();
  }

  function renderFacets(facets) {
    const groups = [];
    for (const f of FACETS) {
      const vals = facets[f.key] || [];
      if (!vals.length) continue;
      const all = expanded.has(f.key);
      const shown = all ? vals : vals.slice(0, FACET_SHOWN);
      const list = el("ul", { "data-facet": f.key }, ...shown.map((v) => {
        const active = f.param === "year" ? yearActive(v.value) : state[f.param].includes(v.value);
        const btn = el("button", { type: "button", class: "facet", "aria-pressed": active ? "true" : "false",
          "data-value": v.value, onclick: () => toggle(f.param, v.value) },
          el("span", { class: "name", text: v.name }), el("span", { class: "count", text: String(v.count) }));
        const page = f.entity ? el("a", { class: "facet-page", href: "/entity/" + encodeURIComponent(v.value),
          title: "About " + v.name, "aria-label": "About " + v.name, text: "›" }) : null;
        return el("li", {}, btn, page);
      }));
      groups.push(el("h2", { text: f.title }), list);
      if (vals.length > FACET_SHOWN) {
        groups.push(el("button", { type: "button", class: "more", text: all ? "Fewer" : "All " + vals.length,
          onclick: () => { if (all) expanded.delete(f.key); else expanded.add(f.key); renderFacets(facets); } }));
      }
    }
    facetsEl.replaceChildren(...groups);
  }

  function renderActive(f) {
    const chips = [];
    const chip = (label, name, remove) => chips.push(el("button", { type: "button", class: "chip", title: "Remove filter",
      onclick: () => { remove(); state.offset = 0; run(); } },
      el("span", { class: "chip-label", text: label }), name, el("span", { class: "x", "aria-hidden": "true", text: "×" })));
    for (const [param, key, label] of [["compound", "compounds", "Compound"], ["tycoon", "tycoons", "Tycoon"], ["province", "provinces", "Province"]]) {
      for (const e of f[key] || []) {
        chip(label, e.name, () => { state[param] = state[param].filter((v) => v !== e.id && v !== e.name); });
      }
    }
    for (const o of f.outlets || []) chip("Outlet", o, () => { state.outlet = state.outlet.filter((v) => v !== o); });
    if (f.from || f.to) chip("Dates", (f.from || "…") + " – " + (f.to || "…"), () => { state.from = ""; state.to = ""; });
    if (f.duplicate_of) chip("Copies of", hostOf(f.duplicate_of), () => { state.duplicate_of = ""; });
    activeEl.replaceChildren(...chips);
  }

  function renderPager(r) {
    const btns = [];
    if (r.offset > 0) {
      btns.push(el("button", { type: "button", text: "← Previous", onclick: () => { state.offset = Math.max(0, r.offset - PAGE); run(); scrollTo(0, 0); } }));
    } else btns.push(el("span"));
    if (r.offset + r.hits.length < r.total && r.offset + PAGE < 1000) {
      btns.push(el("button", { type: "button", text: "Next →", onclick: () => { state.offset = r.offset + PAGE; run(); scrollTo(0, 0); } }));
    }
    pagerEl.replaceChildren(...btns);
  }

  input.value = state.q;
  sortSel.value = state.sort;
  input.addEventListener("input", () => { state.q = input.value.trim(); state.offset = 0; schedule(); });
  sortSel.addEventListener("change", () => { state.sort = sortSel.value; state.offset = 0; run(); });
  $("search").addEventListener("submit", (ev) => { ev.preventDefault(); state.q = input.value.trim(); state.offset = 0; run(); });
  run();
})();
