// The warlog dashboard: map, timeline, event list, event and article pages, search.
//
// Article text and everything derived from it is untrusted (scraped pages): every node is
// built with createElement/textContent, never innerHTML, and links are built only from ids
// (encodeURIComponent) under this origin. Leaflet popups/tooltips are given DOM nodes, not
// strings, because Leaflet would set a string with innerHTML.
"use strict";

const FILTER_KEYS = ["since", "until", "actor", "type", "near", "km", "kind", "conflicting", "order"];
const PALETTE = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
  "#17becf", "#bcbd22", "#393b79"];
const UNKNOWN = "unknown";
const UNKNOWN_COLOUR = "#7f7f7f";
const MAP_LIMIT = 1000;
const LIST_LIMIT = 300;

// --- DOM helpers ------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key === "href") node.setAttribute("href", safeHref(value));
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Only same-origin paths: a javascript: or data: URL from data can never become a link.
function safeHref(value) {
  const text = String(value);
  return text.startsWith("/") && !text.startsWith("//") ? text : "#";
}

// The article's original address, only if it is a web address: shown, and linked away safely.
function sourceLink(url) {
  if (!url) return "";
  let parsed;
  try { parsed = new URL(url); } catch (_) { return ""; }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "";
  const a = el("a", { rel: "noopener noreferrer nofollow", target: "_blank", id: "source-link", text: parsed.hostname });
  a.href = parsed.href;
  return [" · source: ", a];
}

const eventHref = (id) => `/event/${encodeURIComponent(id)}`;
const articleHref = (id) => `/article/${encodeURIComponent(id)}`;
const rawHref = (id) => `/api/articles/${encodeURIComponent(id)}/raw`;

async function api(path, params) {
  const query = params ? `?${params}` : "";
  const resp = await fetch(`/api/${path}${query}`, { headers: { Accept: "application/json" } });
  const body = await resp.json().catch(() => ({}));
  if (!resp.ok) {
    const message = (body.error && body.error.message) || `HTTP ${resp.status}`;
    throw new Error(message);
  }
  return body;
}

function main() {
  return document.getElementById("main");
}

function showError(where, err) {
  where.replaceChildren(el("p", { class: "error", role: "alert", text: String(err.message || err) }));
}

// --- formatting -------------------------------------------------------------------------------

const n = (v) => (v === null || v === undefined ? "?" : String(v));

function figures(k) {
  if (!k) return "";
  if (k.low === k.best && k.best === k.high) return n(k.best);
  return `${n(k.low)}–${n(k.best)}–${n(k.high)}`;
}

function eventDate(e) {
  const d = e.date || {};
  if (e.kind === "tally") return d.end ? `as of ${d.end}` : "";
  if (!d.start) return "";
  const span = d.end && d.end !== d.start ? `${d.start} – ${d.end}` : d.start;
  return d.precision === "published" ? `${span} (published)` : span;
}

function placeText(p) {
  if (!p) return "";
  const admin = p.admin1 && p.admin1 !== p.name ? `, ${p.admin1}` : "";
  return `${p.name}${admin} (${p.country || "?"})`;
}

const perpetratorName = (e) => (e.perpetrator && e.perpetrator.name) || UNKNOWN;

// One colour per perpetrator, shared by the map, its legend and the timeline.
const colours = new Map();
function colourOf(name) {
  if (!name || name === UNKNOWN) return UNKNOWN_COLOUR;
  if (!colours.has(name)) colours.set(name, PALETTE[colours.size % PALETTE.length]);
  return colours.get(name);
}

// --- filters in the URL -----------------------------------------------------------------------

function readFilters() {
  const url = new URLSearchParams(location.search);
  const f = {};
  for (const key of FILTER_KEYS) {
    const v = url.get(key);
    if (v) f[key] = v;
  }
  return f;
}

function writeFilters(f) {
  const url = new URLSearchParams();
  for (const key of FILTER_KEYS) if (f[key]) url.set(key, f[key]);
  const query = url.toString();
  history.replaceState(null, "", query ? `/?${query}` : "/");
}

function filterParams(f, extra) {
  const p = new URLSearchParams();
  for (const key of ["since", "until", "actor", "type", "near", "km", "kind", "order"]) {
    if (f[key]) p.set(key, f[key]);
  }
  if (f.conflicting) p.set("conflicting", "true");
  for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
  return p;
}

// --- dashboard --------------------------------------------------------------------------------

async function dashboard() {
  // Re-rendered in place when the filters change: "ready" again only once the data is in.
  delete document.body.dataset.ready;
  const filters = readFilters();
  document.title = "warlog: events";
  const form = filterForm(filters);
  const mapBox = el("div", { id: "map", class: "map", role: "region", "aria-label": "map of events" });
  const timelineCanvas = el("canvas", { id: "timeline-canvas" });
  const timelineNote = el("p", { class: "hint", id: "timeline-note" });
  const listBox = el("div", { id: "event-list", class: "event-list" });
  main().replaceChildren(
    form,
    el("div", { class: "grid" },
      el("section", { class: "left" },
        mapBox,
        el("div", { class: "timeline" }, el("h2", { text: "Deaths per week, by perpetrator" }),
          el("div", { class: "chart-box" }, timelineCanvas), timelineNote)),
      el("section", { class: "right" }, listBox)),
  );
  const map = makeMap(mapBox);
  const state = { filters, map, layer: L.layerGroup().addTo(map), fitted: false };
  const facets = await api("facets").catch(() => ({ event_types: [], actors: [] }));
  fillFacets(form, facets);
  for (const name of facets.actors) colourOf(name);
  await Promise.all([loadEvents(state, listBox), loadTimeline(state, timelineCanvas, timelineNote, listBox)]);
  document.body.dataset.ready = "dashboard";
}

function filterForm(f) {
  const input = (name, attrs) => el("input", { name, id: `f-${name}`, value: f[name] || "", ...attrs });
  const label = (text, control) => el("label", {}, el("span", { text }), control);
  const kind = el("select", { name: "kind", id: "f-kind" },
    el("option", { value: "", text: "all" }),
    el("option", { value: "incident", text: "incidents" }),
    el("option", { value: "tally", text: "tallies" }));
  kind.value = f.kind || "";
  const order = el("select", { name: "order", id: "f-order" },
    el("option", { value: "-date", text: "newest first" }),
    el("option", { value: "date", text: "oldest first" }),
    el("option", { value: "killed", text: "most killed" }),
    el("option", { value: "reports", text: "most reports" }));
  order.value = f.order || "-date";
  const type = el("select", { name: "type", id: "f-type" }, el("option", { value: "", text: "any" }));
  type.dataset.value = f.type || "";
  const form = el("form", { id: "filters", class: "filters" },
    label("from", input("since", { type: "date" })),
    label("to", input("until", { type: "date" })),
    label("actor", input("actor", { type: "text", list: "actor-list", placeholder: "perpetrator, claimant, outlet" })),
    el("datalist", { id: "actor-list" }),
    label("type", type),
    label("place", input("near", { type: "text", placeholder: "place or lat,lon" })),
    label("km", input("km", { type: "number", min: "0", step: "1", placeholder: "25", class: "km" })),
    label("kind", kind),
    label("sort", order),
    el("label", { class: "check" },
      el("input", { type: "checkbox", name: "conflicting", id: "f-conflicting", checked: f.conflicting ? "checked" : null }),
      el("span", { text: "sources disagree" })),
    el("button", { type: "submit", text: "Apply" }),
    el("a", { href: "/", class: "reset", text: "reset" }),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const next = {};
    for (const key of FILTER_KEYS) {
      const v = data.get(key);
      if (v) next[key] = key === "conflicting" ? "1" : String(v).trim();
    }
    if (next.order === "-date") delete next.order;
    writeFilters(next);
    dashboard();
  });
  return form;
}

function fillFacets(form, facets) {
  const type = form.querySelector("#f-type");
  for (const t of facets.event_types) type.append(el("option", { value: t, text: t }));
  type.value = type.dataset.value;
  const list = form.querySelector("#actor-list");
  for (const a of facets.actors) list.append(el("option", { value: a }));
}

function makeMap(box) {
  const map = L.map(box, { attributionControl: true, worldCopyJump: true });
  map.attributionControl.setPrefix(false);
  map.setView([35, 38.5], 6);
  const online = new URLSearchParams(location.search).get("tiles") === "osm";
  if (online) {
    // Opt-in only: the default map needs no network at all.
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 18, attribution: "© OpenStreetMap contributors",
    }).addTo(map);
  }
  map.attributionControl.addAttribution("Boundaries: Natural Earth");
  const base = (url, style) => fetch(url).then((r) => r.json()).then((gj) => {
    L.geoJSON(gj, { style, interactive: false }).addTo(map).bringToBack();
  });
  base("/boundaries/admin1.geojson", { color: "#9aa3ad", weight: 0.6, fill: false });
  base("/boundaries/countries.geojson", {
    color: "#56606b", weight: 1, fillColor: "#eef0f2", fillOpacity: online ? 0 : 1,
  });
  return map;
}

async function loadEvents(state, listBox) {
  const params = filterParams(state.filters, { limit: String(MAP_LIMIT) });
  if (!params.has("order")) params.set("order", "-date");
  let data;
  try {
    data = await api("events", params);
  } catch (err) {
    showError(listBox, err);
    return;
  }
  const events = data.events;
  drawMarkers(state, events);
  drawList(listBox, events, data.next_offset !== null);
}

function drawMarkers(state, events) {
  state.layer.clearLayers();
  const points = [];
  for (const e of events) {
    const p = e.place;
    if (!p || p.lat === null || p.lon === null || p.lat === undefined) continue;
    const killed = (e.killed && e.killed.best) || 0;
    // A tally is a running total ("250,000 since 2011"), not deaths at that spot: a fixed size.
    const radius = e.kind === "tally" ? 6 : Math.min(32, 5 + 3 * Math.sqrt(killed));
    const marker = L.circleMarker([p.lat, p.lon], {
      radius, color: "#222", weight: 1, fillColor: colourOf(perpetratorName(e)),
      fillOpacity: e.kind === "tally" ? 0.25 : 0.75, dashArray: e.kind === "tally" ? "3" : null,
      // SVG paths with a class per event, so that a marker can be found (tests, styling).
      className: `event-marker ev-${String(e.id).replace(/[^A-Za-z0-9-]/g, "")}`,
    });
    const tip = el("div", { class: "tip" },
      el("strong", { text: placeText(p) }), el("br"),
      `${eventDate(e)} · ${e.kind === "tally" ? "tally" : e.event_type || ""}`, el("br"),
      `killed ${figures(e.killed)} · ${perpetratorName(e)}`);
    marker.bindTooltip(tip);
    marker.on("click", () => { location.href = eventHref(e.id); });
    marker.addTo(state.layer);
    points.push([p.lat, p.lon]);
  }
  document.getElementById("map").dataset.markers = String(points.length);
  if (points.length && !state.fitted) {
    state.map.fitBounds(points, { padding: [40, 40], maxZoom: 8 });
    state.fitted = true;
  }
  drawLegend(state, events);
}

function drawLegend(state, events) {
  if (state.legend) state.legend.remove();
  const names = [...new Set(events.map(perpetratorName))].sort((a, b) =>
    (a === UNKNOWN) - (b === UNKNOWN) || a.localeCompare(b));
  const Legend = L.Control.extend({
    onAdd() {
      const box = el("div", { class: "legend" }, el("strong", { text: "perpetrator" }));
      for (const name of names) {
        box.append(el("div", {}, el("span", { class: "swatch", style: `background:${colourOf(name)}` }), name));
      }
      box.append(el("div", { class: "hint", text: "size: deaths · faint: tallies" }));
      return box;
    },
  });
  state.legend = new Legend({ position: "bottomleft" });
  state.legend.addTo(state.map);
}

function drawList(box, events, more) {
  const rows = events.slice(0, LIST_LIMIT).map((e) =>
    el("tr", { class: e.conflict ? "conflict" : "", "data-id": e.id },
      el("td", {}, el("a", { href: eventHref(e.id), text: e.id })),
      el("td", { text: eventDate(e) }),
      el("td", { text: placeText(e.place) }),
      el("td", { text: e.kind === "tally" ? "tally" : e.event_type || "" }),
      el("td", {}, el("span", { class: "swatch", style: `background:${colourOf(perpetratorName(e))}` }),
        (e.perpetrator && e.perpetrator.name) || ""),
      el("td", { class: "num", text: figures(e.killed) }),
      el("td", { class: "num", text: e.n_outlets }),
      el("td", {}, e.conflict ? el("span", { class: "badge", text: "disagree" }) : "")));
  const count = events.length > LIST_LIMIT || more
    ? `${Math.min(events.length, LIST_LIMIT)} shown (more match: narrow the filters)`
    : `${events.length} event(s)`;
  box.replaceChildren(
    el("h2", { id: "event-count", text: count }),
    el("table", { class: "events" },
      el("thead", {}, el("tr", {}, ...["event", "date", "place", "type", "perpetrator", "killed", "outlets", ""]
        .map((h) => el("th", { text: h })))),
      el("tbody", {}, rows)));
}

async function loadTimeline(state, canvas, note, listBox) {
  // The timeline shows every week the other filters allow, so that a range can be chosen
  // (and widened again) on it; the chosen range is what filters the map and the list.
  const f = { ...state.filters };
  delete f.since;
  delete f.until;
  const params = filterParams(f, { period: "week", by: "actor" });
  params.delete("near");
  params.delete("km");
  params.delete("order");
  if (f.kind === "tally") params.set("kind", "tally");
  let data;
  try {
    data = await api("stats", params);
  } catch (err) {
    showError(note, err);
    return;
  }
  if (!data.buckets.length) {
    note.textContent = "No dated incidents with these filters.";
    return;
  }
  const weeks = weekRange(data.buckets[0].period, data.buckets[data.buckets.length - 1].period);
  const top = data.groups.slice(0, PALETTE.length).map((g) => g.group);
  const series = new Map(top.map((g) => [g, new Array(weeks.length).fill(0)]));
  const index = new Map(weeks.map((w, i) => [w, i]));
  for (const b of data.buckets) {
    const group = series.has(b.group) ? b.group : "other";
    if (!series.has(group)) series.set(group, new Array(weeks.length).fill(0));
    series.get(group)[index.get(b.period)] += b.killed;
  }
  const selected = () => {
    const s = state.filters.since, u = state.filters.until;
    return (i) => (!s || weeks[i] >= mondayOf(s)) && (!u || weeks[i] <= u);
  };
  const datasets = [...series.entries()].map(([group, values]) => ({
    label: group, data: values, stack: "deaths",
    backgroundColor: values.map((_, i) => fade(colourOf(group), selected()(i))),
  }));
  const chart = new Chart(canvas, {
    type: "bar",
    data: { labels: weeks, datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: { x: { stacked: true, ticks: { maxTicksLimit: 12 } }, y: { stacked: true, beginAtZero: true } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } }, tooltip: { mode: "index", intersect: false } },
    },
  });
  canvas.dataset.weeks = String(weeks.length);
  const undated = data.undated.events ? ` ${data.undated.events} undated event(s) not shown.` : "";
  const range = state.filters.since || state.filters.until
    ? `Range ${state.filters.since || "…"} to ${state.filters.until || "…"}. ` : "";
  note.replaceChildren(`${range}Drag across the chart to choose a range.${undated} `);
  if (range) {
    note.append(el("button", { type: "button", id: "clear-range", text: "clear range", onclick: () => applyRange(state, null, null, chart, listBox) }));
  }
  let start = null;
  const at = (ev) => {
    const rect = canvas.getBoundingClientRect();
    const i = Math.round(chart.scales.x.getValueForPixel(ev.clientX - rect.left));
    return Math.max(0, Math.min(weeks.length - 1, i));
  };
  canvas.addEventListener("mousedown", (ev) => { start = at(ev); });
  canvas.addEventListener("mouseup", (ev) => {
    if (start === null) return;
    const end = at(ev);
    const lo = Math.min(start, end), hi = Math.max(start, end);
    start = null;
    applyRange(state, weeks[lo], addDays(weeks[hi], 6), chart, listBox, note);
  });
}

async function applyRange(state, since, until, chart, listBox) {
  const f = { ...state.filters };
  if (since) f.since = since; else delete f.since;
  if (until) f.until = until; else delete f.until;
  writeFilters(f);
  state.filters = f;
  for (const input of ["since", "until"]) {
    const box = document.getElementById(`f-${input}`);
    if (box) box.value = f[input] || "";
  }
  const weeks = chart.data.labels;
  for (const ds of chart.data.datasets) {
    ds.backgroundColor = weeks.map((w) =>
      fade(colourOf(ds.label), (!since || w >= mondayOf(since)) && (!until || w <= until)));
  }
  chart.update();
  const note = document.getElementById("timeline-note");
  note.replaceChildren(`Range ${since || "…"} to ${until || "…"}. Drag across the chart to choose another. `,
    el("button", { type: "button", id: "clear-range", text: "clear range", onclick: () => applyRange(state, null, null, chart, listBox) }));
  await loadEvents(state, listBox);
}

function fade(colour, on) {
  return on ? colour : `${colour}33`;
}

function parseDay(s) {
  const [y, m, d] = s.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

const dayText = (d) => d.toISOString().slice(0, 10);
const addDays = (s, k) => dayText(new Date(parseDay(s).getTime() + k * 86400000));

function mondayOf(s) {
  const d = parseDay(s);
  return addDays(s, -((d.getUTCDay() + 6) % 7));
}

function weekRange(first, last) {
  const out = [];
  for (let w = first; w <= last && out.length < 5000; w = addDays(w, 7)) out.push(w);
  return out;
}

// --- event page -------------------------------------------------------------------------------

async function eventPage(id) {
  const root = main();
  root.replaceChildren(el("p", { text: "Loading…" }));
  let e;
  try {
    e = await api(`events/${encodeURIComponent(id)}`);
  } catch (err) {
    showError(root, err);
    return;
  }
  document.title = `warlog: ${e.id}`;
  const page = el("article", { class: "page event", id: "event" });
  page.append(
    el("p", { class: "crumbs" }, el("a", { href: "/", text: "← all events" })),
    el("h1", {}, `${e.kind === "tally" ? "Tally" : e.event_type || "Event"} · ${placeText(e.place) || "place unknown"}`),
    el("p", { class: "meta" },
      el("code", { text: e.id }), ` · ${eventDate(e) || "date unknown"} · perpetrator: ${(e.perpetrator && e.perpetrator.name) || "unknown"}`,
      ` · ${e.n_reports} report(s), ${e.n_articles} article(s), ${e.n_outlets} outlet(s), ${e.n_claimants} claimant(s)`),
  );
  const disputed = e.estimates.filter((x) => x.conflict);
  if (e.conflict) {
    const banner = el("div", { class: "banner", id: "conflict-banner", role: "alert" },
      el("strong", { text: "Sources disagree. " }));
    for (const x of disputed) {
      banner.append(el("div", {}, `${x.outcome}, ${groupText(x.group)}: `,
        x.sources.map((s) => `${s.name} says “${s.count_text}”`).join("; ")));
    }
    page.append(banner);
  }
  page.append(el("h2", { text: "Reconciled figures" }), estimatesTable(e));
  page.append(el("h2", { text: "Who says what" }), sourcesSideBySide(e));
  page.append(el("h2", { text: "Claims" }), claimsTable(e));
  if (e.revisions && e.revisions.length) {
    page.append(el("h2", { text: "Revisions" }), el("ul", {}, e.revisions.map((v) =>
      el("li", { text: `${v.published || "?"} · ${v.outlet || "?"} · ${v.source}: ${v.count_text}` }))));
  }
  const evidence = el("section", { id: "evidence" }, el("h2", { text: "Evidence in the articles" }));
  page.append(evidence);
  root.replaceChildren(page);
  await evidenceBoxes(e, evidence);
  document.body.dataset.ready = "event";
}

function groupText(group) {
  if (group === "total") return "in total";
  const [kind, value] = group.split(":");
  return value ? `${value} (${kind})` : kind;
}

function estimatesTable(e) {
  return el("table", { class: "estimates" },
    el("thead", {}, el("tr", {}, ["outcome", "group", "low", "best", "high", "sources", ""].map((h) =>
      el("th", { text: h, class: ["low", "best", "high"].includes(h) ? "num" : null })))),
    el("tbody", {}, e.estimates.map((x) => el("tr", { class: x.conflict ? "conflict" : "" },
      el("td", { text: x.outcome }), el("td", { text: groupText(x.group) }),
      el("td", { class: "num", text: n(x.low) }), el("td", { class: "num best", text: n(x.best) }),
      el("td", { class: "num", text: n(x.high) }),
      el("td", { text: x.sources.length }),
      el("td", {}, x.conflict ? el("span", { class: "badge", text: "disagree" }) : "",
        x.high_partisan ? el("span", { class: "badge partisan", text: "high: partisan only" }) : "")))));
}

function sourcesSideBySide(e) {
  const wrap = el("div", { class: "sides" });
  for (const x of e.estimates) {
    if (x.sources.length < 2 && !x.conflict) continue;
    const row = el("div", { class: `side-row${x.conflict ? " conflict" : ""}`, "data-group": x.group },
      el("h3", { text: `${x.outcome}, ${groupText(x.group)}: ${n(x.low)}–${n(x.best)}–${n(x.high)}` }));
    const cards = el("div", { class: "cards" });
    for (const s of x.sources) {
      cards.append(el("div", { class: `card${s.partisan ? " partisan" : ""}` },
        el("div", { class: "who", text: s.name }),
        el("div", { class: "count", text: `“${s.count_text}”` }),
        el("div", { class: "range", text: `low ${n(s.low)} · high ${n(s.high)}${s.vague ? " · vague" : ""}` }),
        el("div", { class: "kind", text: `${s.kind || ""}${s.partisan ? " · party to the conflict" : ""} · confidence ${s.confidence}` })));
    }
    row.append(cards);
    wrap.append(row);
  }
  if (!wrap.childNodes.length) wrap.append(el("p", { class: "hint", text: "A single source for every figure." }));
  return wrap;
}

function claimsTable(e) {
  return el("table", { class: "claims" },
    el("thead", {}, el("tr", {}, ["outlet", "published", "claimant", "count", "low", "high", "outcome", "victims", "date", "article"]
      .map((h) => el("th", { text: h })))),
    el("tbody", {}, (e.claims || []).map((r) => {
      const c = r.claim;
      const who = c.claimant ? c.claimant.name || c.claimant.text : "(the outlet)";
      return el("tr", {},
        el("td", { text: r.outlet || "" }), el("td", { text: r.published || "" }), el("td", { text: who }),
        el("td", { class: "count", text: c.count_text }), el("td", { class: "num", text: n(c.low) }),
        el("td", { class: "num", text: n(c.high) }), el("td", { text: c.outcome }),
        el("td", { text: c.victims ? c.victims.text : "" }), el("td", { text: (c.date && c.date.start) || "" }),
        el("td", {}, el("a", { href: `${articleHref(r.article_id)}#claim-${c.index}`, text: r.article_id })));
    })));
}

async function evidenceBoxes(e, section) {
  const byArticle = new Map();
  for (const r of e.claims || []) {
    if (!byArticle.has(r.article_id)) byArticle.set(r.article_id, []);
    byArticle.get(r.article_id).push(r.claim);
  }
  for (const [articleId, claims] of byArticle) {
    let a;
    try {
      a = await api(`articles/${encodeURIComponent(articleId)}`);
    } catch (err) {
      section.append(el("p", { class: "error", text: `${articleId}: ${err.message}` }));
      continue;
    }
    const spans = claims.map((c) => ({ claim: c.index, start: c.evidence.start, end: c.evidence.end }));
    const byIndex = new Map(a.claims.map((c) => [c.index, c]));
    const text = highlighted(a.text, spans, byIndex);
    text.classList.add("excerpt");
    section.append(el("div", { class: "evidence-box" },
      el("h3", {}, el("a", { href: articleHref(a.id), text: a.title || a.id }),
        ` · ${a.outlet || "outlet unknown"} · ${a.published || "undated"} · `,
        el("a", { href: rawHref(a.id), text: "raw page" })),
      text));
    const first = text.querySelector("mark");
    if (first) text.scrollTop = Math.max(0, first.offsetTop - text.offsetTop - 40);
  }
}

// The article text with [start, end) spans marked; overlapping spans are cut at every boundary
// so that each piece is one <mark> carrying all the claims that cover it.
function highlighted(text, spans, claimsByIndex) {
  const box = el("div", { class: "article-text" });
  const cuts = new Set([0, text.length]);
  for (const s of spans) {
    if (s.start >= 0 && s.end <= text.length && s.start < s.end) { cuts.add(s.start); cuts.add(s.end); }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const seen = new Set();
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const piece = text.slice(a, b);
    const covering = spans.filter((s) => s.start <= a && s.end >= b);
    if (!covering.length) { box.append(piece); continue; }
    const mark = el("mark", { "data-claims": covering.map((s) => s.claim).join(" ") }, piece);
    const first = covering.find((s) => !seen.has(s.claim));
    if (first) { mark.id = `claim-${first.claim}`; seen.add(first.claim); }
    const titles = covering.map((s) => claimsByIndex.get(s.claim)).filter(Boolean).map(claimSummary);
    if (titles.length) mark.title = titles.join("\n");
    box.append(mark);
  }
  return box;
}

function claimSummary(c) {
  const who = c.claimant ? ` (${c.claimant.name || c.claimant.text})` : "";
  return `#${c.index} ${c.outcome}: ${c.count_text} ${c.victims ? c.victims.text : ""}${who}`;
}

// --- article page -----------------------------------------------------------------------------

async function articlePage(id) {
  const root = main();
  root.replaceChildren(el("p", { text: "Loading…" }));
  let a;
  try {
    a = await api(`articles/${encodeURIComponent(id)}`);
  } catch (err) {
    showError(root, err);
    return;
  }
  document.title = `warlog: ${a.title || a.id}`;
  const byIndex = new Map(a.claims.map((c) => [c.index, c]));
  const page = el("article", { class: "page article", id: "article" },
    el("p", { class: "crumbs" }, el("a", { href: "/", text: "← all events" })),
    el("h1", { text: a.title || "(no headline)" }),
    el("p", { class: "meta" }, el("code", { text: a.id }),
      ` · ${a.outlet || "outlet unknown"} · ${a.published || "undated"} · `,
      el("a", { href: rawHref(a.id), id: "raw-link", text: "raw page" }),
      sourceLink(a.url),
      a.duplicate_of ? [" · copy of ", el("a", { href: articleHref(a.duplicate_of), text: a.duplicate_of })] : ""),
    el("p", { class: "meta" }, "Events: ", a.events.length
      ? a.events.map((eid, i) => [i ? ", " : "", el("a", { href: eventHref(eid), text: eid })])
      : "none"),
    el("h2", { text: `Claims (${a.claims.length})` }),
    el("ol", { class: "claim-list", start: "0" }, a.claims.map((c) =>
      el("li", {}, el("a", { href: `#claim-${c.index}`, text: claimSummary(c) })))),
    el("h2", { text: "Text (claim sentences highlighted)" }),
    highlighted(a.text, a.spans, byIndex),
  );
  root.replaceChildren(page);
  if (location.hash) {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) target.scrollIntoView({ block: "center" });
  }
  document.body.dataset.ready = "article";
}

// --- search -----------------------------------------------------------------------------------

async function searchPage() {
  const q = new URLSearchParams(location.search).get("q") || "";
  document.getElementById("search-box").value = q;
  document.title = `warlog: search ${q}`;
  const root = main();
  const results = el("section", { class: "page", id: "results" });
  root.replaceChildren(results);
  if (!q.trim()) {
    results.append(el("p", { text: "Type words to search the articles." }));
    return;
  }
  let data;
  try {
    data = await api("search", new URLSearchParams({ q, limit: "50" }));
  } catch (err) {
    showError(results, err);
    return;
  }
  const ids = [...new Set(data.hits.flatMap((h) => h.events))];
  const events = new Map();
  if (ids.length) {
    const p = new URLSearchParams({ limit: String(Math.min(1000, ids.length)) });
    for (const i of ids) p.append("id", i);
    const found = await api("events", p).catch(() => ({ events: [] }));
    for (const e of found.events) events.set(e.id, e);
  }
  results.append(el("h1", { text: `${data.hits.length} article(s) for “${q}”` }));
  for (const h of data.hits) {
    const snippet = el("p", { class: "snippet" },
      h.snippet_parts.map((part) => (part.mark ? el("mark", {}, part.text) : part.text)));
    const evs = el("ul", { class: "hit-events" }, h.events.map((eid) => {
      const e = events.get(eid);
      const what = e
        ? `${e.kind === "tally" ? "tally" : e.event_type || "event"} · ${eventDate(e)} · ${placeText(e.place) || "place unknown"}${e.killed ? ` · killed ${figures(e.killed)}` : ""}`
        : "";
      return el("li", {}, el("a", { href: eventHref(eid), class: "event-link", text: eid }), what ? ` ${what}` : "");
    }));
    results.append(el("div", { class: "hit" },
      el("h2", {}, el("a", { href: articleHref(h.article_id), text: h.title || h.article_id })),
      el("p", { class: "meta", text: `${h.outlet || "outlet unknown"} · ${h.published || "undated"}` }),
      snippet, evs));
  }
  document.body.dataset.ready = "search";
}

// --- feeds (warlog watch) ---------------------------------------------------------------------

async function feedsPage() {
  document.title = "warlog: feeds";
  const root = main();
  const page = el("section", { class: "page", id: "feeds" });
  root.replaceChildren(page);
  let data;
  try {
    data = await api("feeds");
  } catch (err) {
    showError(page, err);
    return;
  }
  const when = (iso) => (iso ? iso.replace("T", " ").replace("+00:00", " UTC") : "–");
  page.append(el("h1", { text: `${data.feeds.length} feed(s) followed by warlog watch` }),
    el("table", { class: "feeds" },
      el("thead", {}, el("tr", {}, ["feed", "state", "last poll", "outcome", "next poll", "articles"].map((h) => el("th", { text: h })))),
      el("tbody", {}, data.feeds.map((f) => el("tr", { class: `feed-${f.state.replace(/ /g, "-")}` },
        el("td", {}, el("div", { text: f.title || f.url }), f.title ? el("div", { class: "meta", text: f.url }) : null),
        el("td", { text: f.state }), el("td", { text: when(f.last_poll) }), el("td", { text: f.last_outcome || "" }),
        el("td", { text: when(f.next_poll) }), el("td", { text: f.articles_found }))))));
  document.body.dataset.ready = "feeds";
}

// --- routing ----------------------------------------------------------------------------------

function route() {
  const path = location.pathname;
  const m = path.match(/^\/(event|article)\/([^/]+)$/);
  if (m) return m[1] === "event" ? eventPage(decodeURIComponent(m[2])) : articlePage(decodeURIComponent(m[2]));
  if (path === "/search") return searchPage();
  if (path === "/feeds") return feedsPage();
  return dashboard();
}

document.addEventListener("DOMContentLoaded", () => {
  route().catch((err) => showError(main(), err));
});
