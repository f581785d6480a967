// The warlog dashboard: map, timeline, event list, event and article pages, search.
//
// Article text and everything derived from it is untrusted (scraped pages): every node is
// built with createElement/textContent, never innerHTML, and links are built only from ids
// (encodeURIComponent) under this origin. Leaflet popups/tooltips are given DOM nodes, not
// strings, because Leaflet would set a string with innerHTML.
"use strict";

const FILTER_KEYS = ["since", "until", "actor", "claimant", "outlet", "type", "near", "km", "kind",
  "conflicting", "flagged", "order", "offset"];
// Perpetrators are told apart by colour and shape together: 10 colours x 4 shapes never repeat
// a pair before the 20th perpetrator, and the shape still tells them apart in grey.
const PALETTE = ["#c0392b", "#1f5fa8", "#2a7d2e", "#7b3fa0", "#b35900", "#6b4a2b", "#b0357a",
  "#0f7c85", "#6f7a00", "#2e3a87"];
const SHAPES = ["circle", "square", "diamond", "triangle"];
const UNKNOWN = "unknown";
const UNKNOWN_COLOUR = "#666f78";
const MAP_LIMIT = 1000;
const PAGE_SIZE = 50;

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

// Untrusted text (outlets, titles, names, sentences) goes in <bdi>: a right-to-left override
// inside it cannot flip the text around it.
const u = (text) => el("bdi", {}, text === null || text === undefined ? "" : String(text));

// Only same-origin paths and fragments: a javascript: or data: URL from data can never become a link.
function safeHref(value) {
  const text = String(value);
  if (/^#[A-Za-z0-9_-]+$/.test(text)) return text; // a place on this page
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

// One colour and shape per perpetrator, shared by the map, its legend, the list and the timeline.
const styles = new Map();
function styleOf(name) {
  if (!name || name === UNKNOWN) return { colour: UNKNOWN_COLOUR, shape: "circle" };
  if (!styles.has(name)) {
    const i = styles.size;
    styles.set(name, { colour: PALETTE[i % PALETTE.length], shape: SHAPES[Math.floor(i / 2) % SHAPES.length] });
  }
  return styles.get(name);
}
const colourOf = (name) => styleOf(name).colour;

function symbol(name, size) {
  const st = styleOf(name);
  const node = el("span", { class: `sym sym-${st.shape}`, "aria-hidden": "true" });
  node.style.setProperty("--c", st.colour);
  if (size) node.style.setProperty("--s", `${size}px`);
  return node;
}

const PLACE_PRECISION = { point: "exact point", village: "village", town: "town", city: "town", district: "district", region: "region", province: "province", country: "country" };
const DATE_PRECISION = { day: "day", week: "week", month: "month", year: "year", published: "publication day" };

function flagBadges(e) {
  return (e.flags || []).map((f) => el("span", { class: "badge flag", title: f.message, text: `check: ${f.code.replace(/_/g, " ")}` }));
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
  for (const key of ["since", "until", "actor", "claimant", "outlet", "type", "near", "km", "kind", "order"]) {
    if (f[key]) p.set(key, f[key]);
  }
  if (f.conflicting) p.set("conflicting", "true");
  if (f.flagged) p.set("flagged", "true");
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
  const mapBox = el("div", { id: "map", class: "map", role: "region", "aria-label": "Map of events (the list beside it has every event)" });
  const timelineCanvas = el("canvas", { id: "timeline-canvas", role: "img", "aria-label": "Bar chart: deaths per week, stacked by perpetrator. A table of the same figures follows." });
  const timelineNote = el("p", { class: "hint", id: "timeline-note" });
  const timelineTable = el("details", { id: "timeline-table", class: "chart-table" }, el("summary", { text: "Table of the chart" }));
  const listBox = el("section", { id: "event-list", class: "event-list", "aria-label": "Event list", tabindex: "-1" },
    el("p", { class: "loading", role: "status", text: "Loading events…" }));
  // The list comes first in the document (a keyboard reaches it in a few Tab presses); the
  // grid shows the filters on top and the map beside it.
  main().replaceChildren(
    el("div", { class: "grid dash" },
      el("section", { class: "right" }, listBox),
      el("section", { class: "left" },
        mapBox,
        el("div", { class: "timeline" }, el("h2", { id: "timeline-title", text: "Deaths per week, by perpetrator" }),
          el("div", { class: "chart-box" }, timelineCanvas), timelineNote, timelineTable)),
      form),
  );
  const map = makeMap(mapBox);
  // Clusters are not Tab stops either (a few hundred markers would each be one).
  L.MarkerCluster.mergeOptions({ keyboard: false });
  const cluster = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 45, spiderfyOnMaxZoom: true,
    iconCreateFunction: (c) => {
      const count = c.getChildCount();
      const size = count < 10 ? 30 : count < 100 ? 36 : 44;
      return L.divIcon({ html: el("span", { text: count }), className: "cluster", iconSize: [size, size] });
    },
  });
  const state = { filters, map, layer: cluster.addTo(map), fitted: false, events: [] };
  // Keyboard access to the map's events: Enter on the focused map lists those in view.
  const inView = el("div", { id: "map-events", class: "map-events", "aria-live": "polite" });
  mapBox.after(el("p", { class: "hint", id: "map-keys", text: "Keyboard: focus the map, arrows pan, + and − zoom, Enter lists the events in view." }), inView);
  mapBox.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter" || ev.target !== mapBox) return;
    ev.preventDefault();
    listInView(state, inView);
  });
  const facets = await api("facets").catch(() => ({ event_types: [], actors: [], focus_country: null }));
  state.focus = facets.focus_country;
  fillFacets(form, facets);
  for (const name of facets.actors) styleOf(name);
  await Promise.all([loadEvents(state, listBox), loadTimeline(state, timelineCanvas, timelineNote, listBox), map.boundariesLoaded]);
  document.body.dataset.ready = "dashboard";
}

function filterForm(f) {
  const input = (name, attrs) => el("input", { name, id: `f-${name}`, value: f[name] || "", ...attrs });
  const label = (text, control) => el("label", { for: control.id }, el("span", { text }), control);
  const kind = el("select", { name: "kind", id: "f-kind" },
    el("option", { value: "", text: "all" }),
    el("option", { value: "incident", text: "incidents" }),
    el("option", { value: "tally", text: "tallies" }));
  kind.value = f.kind || "";
  const order = el("select", { name: "order", id: "f-order" },
    el("option", { value: "-date", text: "newest first" }),
    el("option", { value: "date", text: "oldest first" }),
    el("option", { value: "killed", text: "most deaths" }),
    el("option", { value: "sources", text: "most sources" }),
    el("option", { value: "reports", text: "most reports" }));
  order.value = f.order || "-date";
  const type = el("select", { name: "type", id: "f-type" }, el("option", { value: "", text: "any" }));
  type.dataset.value = f.type || "";
  const check = (name, text) => el("label", { class: "check", for: `f-${name}` },
    el("input", { type: "checkbox", name, id: `f-${name}`, checked: f[name] ? "checked" : null }),
    el("span", { text }));
  const form = el("form", { id: "filters", class: "filters", "aria-label": "Filters" },
    el("h2", { class: "filters-title", text: "Filters" }),
    label("from (date range)", input("since", { type: "date" })),
    label("to", input("until", { type: "date" })),
    label("perpetrator", input("actor", { type: "text", list: "actor-list", placeholder: "e.g. Islamic State" })),
    el("datalist", { id: "actor-list" }),
    label("source (claimant)", input("claimant", { type: "text", placeholder: "e.g. Observatory" })),
    label("outlet", input("outlet", { type: "text", placeholder: "e.g. Reuters" })),
    label("type", type),
    label("place", input("near", { type: "text", placeholder: "place or lat,lon" })),
    label("km", input("km", { type: "number", min: "0", max: "1000", step: "1", placeholder: "25", class: "km" })),
    label("kind", kind),
    label("sort", order),
    check("conflicting", "sources disagree"),
    check("flagged", "flagged for review"),
    el("button", { type: "submit", text: "Apply" }),
    el("a", { href: "/", class: "reset", text: "reset" }),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const next = {};
    for (const key of FILTER_KEYS) {
      const v = data.get(key);
      if (v) next[key] = key === "conflicting" || key === "flagged" ? "1" : String(v).trim();
    }
    if (next.order === "-date") delete next.order;
    delete next.offset;
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
  // keyboard: the map is one Tab stop (arrows pan, +/- zoom); its events are in the list.
  const map = L.map(box, { attributionControl: true, worldCopyJump: true, keyboard: true, minZoom: 2, maxZoom: 14 });
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
  }).catch(() => {});
  map.boundariesLoaded = Promise.all([
    base("/boundaries/admin1.geojson", { color: "#9aa3ad", weight: 0.6, fill: false }),
    base("/boundaries/countries.geojson", {
      color: "#56606b", weight: 1, fillColor: "#eef0f2", fillOpacity: online ? 0 : 1,
    }),
  ]);
  return map;
}

async function loadEvents(state, listBox) {
  const mapParams = filterParams(state.filters, { limit: String(MAP_LIMIT) });
  mapParams.set("order", "-date");
  const offset = Number(state.filters.offset || 0);
  const listParams = filterParams(state.filters, { limit: String(PAGE_SIZE), offset: String(offset) });
  if (!listParams.has("order")) listParams.set("order", "-date");
  let data, page;
  try {
    [data, page] = await Promise.all([api("events", mapParams), api("events", listParams)]);
  } catch (err) {
    showError(listBox, err);
    return;
  }
  drawMarkers(state, data.events);
  drawList(state, listBox, page, offset);
  markNew(listBox);
}

// "New since your last visit": the moment of the previous visit is kept in this browser
// (localStorage), and for the rest of this visit (sessionStorage), so reloading the page or
// paging keeps the marks. Events created or changed since then get a "new" badge.
function lastVisit() {
  let since = sessionStorage.getItem("warlog.since");
  if (since === null) {
    since = localStorage.getItem("warlog.lastVisit") || "";
    sessionStorage.setItem("warlog.since", since);
    localStorage.setItem("warlog.lastVisit", new Date().toISOString());
  }
  return since;
}

async function markNew(listBox) {
  const since = lastVisit();
  if (!since) return;
  let data;
  try {
    data = await api("events", new URLSearchParams({ updated_since: since, limit: "1000" }));
  } catch (err) {
    return; // the marks are a courtesy: the list itself is already shown
  }
  const fresh = new Set(data.events.map((e) => e.id));
  for (const row of listBox.querySelectorAll("li.event-row")) {
    if (!fresh.has(row.dataset.id)) continue;
    row.classList.add("new");
    const badges = row.querySelector(".row-badges");
    if (badges) badges.prepend(el("span", { class: "badge new", text: "new since your last visit" }));
  }
}

// The view to open on: where most events are, not the whole world. Flagged events (a place
// abroad, a tally read as an incident) never set it, and the outer 5 % on each side are cut.
function focusBounds(events, focus) {
  const placed = events.filter((e) => e.place && e.place.lat !== null && e.place.lat !== undefined);
  const clean = placed.filter((e) => !(e.flags || []).length);
  let pool = clean.length ? clean : placed;
  if (focus) {
    const home = pool.filter((e) => e.place.country === focus);
    if (home.length) pool = home;
  }
  if (!pool.length) return null;
  const cut = (values) => {
    const v = [...values].sort((a, b) => a - b);
    const k = v.length >= 20 ? Math.floor(v.length * 0.05) : 0;
    return [v[k], v[v.length - 1 - k]];
  };
  const [s, nth] = cut(pool.map((e) => e.place.lat));
  const [w, east] = cut(pool.map((e) => e.place.lon));
  return [[s, w], [nth, east]];
}

function drawMarkers(state, events) {
  state.layer.clearLayers();
  state.events = events;
  let placed = 0;
  const markers = [];
  for (const e of events) {
    const p = e.place;
    if (!p || p.lat === null || p.lon === null || p.lat === undefined) continue;
    const killed = (e.killed && e.killed.best) || 0;
    const flagged = (e.flags || []).length > 0;
    // A tally is a running total ("250,000 since 2011"), and a flagged figure is in doubt:
    // neither is drawn by its size.
    const size = e.kind === "tally" || flagged ? 12 : Math.round(Math.min(40, 10 + 2.5 * Math.sqrt(killed)));
    const sym = symbol(perpetratorName(e), size);
    const icon = L.divIcon({
      html: sym, iconSize: [size, size],
      // A class per event, so that a marker can be found (tests, styling).
      className: `event-marker ev-${String(e.id).replace(/[^A-Za-z0-9-]/g, "")}${e.kind === "tally" ? " tally" : ""}${flagged ? " flagged" : ""}`,
    });
    const marker = L.marker([p.lat, p.lon], { icon, keyboard: false, title: "" });
    const tip = el("div", { class: "tip" },
      el("strong", {}, u(e.headline || placeText(p))), el("br"),
      u(placeText(p)), el("br"),
      `${eventDate(e)} · ${e.kind === "tally" ? "tally" : e.event_type || ""}`, el("br"),
      "killed ", figures(e.killed), " · ", u(perpetratorName(e)),
      flagged ? [el("br"), el("em", { text: `check: ${e.flags.map((f) => f.code.replace(/_/g, " ")).join(", ")}` })] : "");
    marker.bindTooltip(tip);
    marker.on("click", () => { location.href = eventHref(e.id); });
    markers.push(marker);
    placed += 1;
  }
  state.layer.addLayers(markers);
  const mapBox = document.getElementById("map");
  mapBox.dataset.markers = String(placed);
  if (placed && !state.fitted) {
    const bounds = focusBounds(events, state.focus);
    if (bounds) {
      state.map.fitBounds(bounds, { padding: [30, 30], maxZoom: 9 });
      mapBox.dataset.focus = JSON.stringify(bounds);
    }
    state.fitted = true;
  }
  drawLegend(state, events);
}

function listInView(state, box) {
  const bounds = state.map.getBounds();
  const shown = state.events.filter((e) => e.place && e.place.lat !== null && e.place.lat !== undefined
    && bounds.contains([e.place.lat, e.place.lon]));
  const top = shown.slice(0, 20);
  box.replaceChildren(
    el("h3", { text: `${shown.length} event(s) in view${shown.length > top.length ? `, the first ${top.length}` : ""}` }),
    el("ul", {}, top.map((e) => el("li", {}, el("a", { href: eventHref(e.id) }, u(e.headline || e.id)), " · ", u(placeText(e.place)), ` · ${eventDate(e)}`))));
  const first = box.querySelector("a");
  if (first) first.focus();
}

function drawLegend(state, events) {
  if (state.legend) state.legend.remove();
  const names = [...new Set(events.map(perpetratorName))].sort((a, b) =>
    (a === UNKNOWN) - (b === UNKNOWN) || a.localeCompare(b));
  const Legend = L.Control.extend({
    onAdd() {
      // Collapsible, closed on a phone: a long list of perpetrators must not hide the map.
      const box = el("details", { class: "legend", id: "legend" },
        el("summary", { text: `Legend (${names.length} perpetrators)` }));
      if (window.matchMedia("(min-width: 700px)").matches && names.length <= 12) box.open = true;
      const list = el("ul", { class: "legend-list" });
      for (const name of names) list.append(el("li", {}, symbol(name, 12), u(name)));
      box.append(list, el("p", { class: "hint", text: "size: deaths · small and faint: tallies and flagged events · numbers: clusters" }));
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  state.legend = new Legend({ position: "bottomleft" });
  state.legend.addTo(state.map);
}

function precisionText(e) {
  const p = e.place && PLACE_PRECISION[e.place.precision];
  const d = e.date && DATE_PRECISION[e.date.precision];
  return [p ? `place: ${p}` : "", d ? `date: ${d}` : ""].filter(Boolean).join(" · ");
}

function drawList(state, box, data, offset) {
  const events = data.events;
  const near = data.near
    ? el("p", { class: "hint", id: "near-used" }, "Within ", String(data.near.km), " km of ", u(data.near.name),
      data.near.country ? ` (${data.near.country})` : "", data.near.name !== data.near.text ? [" for “", u(data.near.text), "”"] : "")
    : "";
  const heading = el("h2", { id: "event-count", text: events.length
    ? `Events ${offset + 1}–${offset + events.length}${data.next_offset !== null ? " (more on the next page)" : ""}`
    : "No events match these filters" });
  if (!events.length) {
    box.replaceChildren(heading, near, el("p", { class: "empty" }, "Try a wider date range or ", el("a", { href: "/", text: "reset the filters" }), "."));
    return;
  }
  const items = events.map((e) => el("li", {
    class: `event-row${e.conflict ? " conflict" : ""}${(e.flags || []).length ? " flagged" : ""}`,
    "data-id": e.id, "data-kind": e.kind, "data-perpetrator": (e.perpetrator && e.perpetrator.name) || "",
    "data-start": (e.date && (e.date.start || e.date.end)) || "",
  },
    el("div", { class: "row-head" },
      symbol(perpetratorName(e), 12),
      el("a", { href: eventHref(e.id), class: "event-link" }, u(e.headline || `${e.kind === "tally" ? "Tally" : e.event_type || "Event"} in ${e.place ? e.place.name : "an unknown place"}`))),
    el("div", { class: "row-place" }, u(placeText(e.place) || "place unknown"), " · ", eventDate(e) || "date unknown"),
    el("div", { class: "row-facts" },
      `${e.kind === "tally" ? "tally" : e.event_type || "event"} · `, u((e.perpetrator && e.perpetrator.name) || "perpetrator unknown"),
      ` · killed ${figures(e.killed)} · ${e.n_claimants} claimant(s), ${e.n_outlets} outlet(s)`),
    el("div", { class: "row-meta" }, precisionText(e), " · ", el("code", { text: e.id })),
    el("div", { class: "row-badges" }, e.conflict ? el("span", { class: "badge", text: "sources disagree" }) : "", flagBadges(e))));
  const go = (to) => {
    const f = { ...state.filters };
    if (to) f.offset = String(to); else delete f.offset;
    writeFilters(f);
    state.filters = f;
    loadEvents(state, box).then(() => box.focus());
  };
  const pager = el("nav", { class: "pager", "aria-label": "pages of the list" },
    el("button", { type: "button", id: "prev-page", disabled: offset ? null : "disabled", onclick: () => go(Math.max(0, offset - PAGE_SIZE)), text: "← previous" }),
    el("button", { type: "button", id: "next-page", disabled: data.next_offset !== null ? null : "disabled", onclick: () => go(data.next_offset), text: "next →" }));
  box.replaceChildren(heading, near, el("ol", { class: "events", start: String(offset + 1) }, items), pager);
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
  const leftOut = data.flagged_left_out && data.flagged_left_out.events
    ? ` ${data.flagged_left_out.events} flagged event(s) (${data.flagged_left_out.killed} deaths claimed) left out of the chart.` : "";
  if (!data.buckets.length) {
    note.textContent = `No dated incidents with these filters.${leftOut}`;
    return;
  }
  chartTable(document.getElementById("timeline-table"), data);
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
      scales: {
        x: { stacked: true, ticks: { maxTicksLimit: 12, color: "#3d4650" }, title: { display: true, text: "week (Monday)", color: "#3d4650" } },
        y: { stacked: true, beginAtZero: true, ticks: { color: "#3d4650" }, title: { display: true, text: "deaths (best estimate)", color: "#3d4650" } },
      },
      // The colours are the map legend's; a second legend here would take the chart's height.
      plugins: { legend: { display: false }, tooltip: { mode: "index", intersect: false } },
    },
  });
  canvas.dataset.weeks = String(weeks.length);
  const undated = data.undated.events ? ` ${data.undated.events} undated event(s) not shown.` : "";
  const range = state.filters.since || state.filters.until
    ? `Range ${state.filters.since || "…"} to ${state.filters.until || "…"}. ` : "";
  note.replaceChildren(`${range}Drag across the chart, or use the from/to fields, to choose a range.${undated}${leftOut} `);
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

function chartTable(box, data) {
  const rows = data.buckets.map((b) => el("tr", {},
    el("td", { text: b.period }), el("td", {}, u(b.group)), el("td", { class: "num", text: b.killed }), el("td", { class: "num", text: b.events })));
  box.append(el("table", { class: "chart-data", tabindex: "0" },
    el("caption", { text: "Deaths per week by perpetrator (best estimates; flagged events left out)" }),
    el("thead", {}, el("tr", {}, ["week", "perpetrator", "deaths", "events"].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, rows)));
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
  if (e.id !== id && location.pathname !== eventHref(e.id)) history.replaceState(null, "", eventHref(e.id));
  document.title = `warlog: ${e.headline || e.id}`;
  const page = el("article", { class: "page event", id: "event" });
  page.append(
    el("p", { class: "crumbs" }, el("a", { href: "/", text: "← all events" })),
    el("h1", {}, u(e.headline || `${e.kind === "tally" ? "Tally" : e.event_type || "Event"}`)),
    el("p", { class: "meta" }, `${e.kind === "tally" ? "Tally" : e.event_type || "Event"} · `, u(placeText(e.place) || "place unknown"),
      ` · ${eventDate(e) || "date unknown"} · perpetrator: `, u((e.perpetrator && e.perpetrator.name) || "unknown")),
    el("p", { class: "meta" }, precisionText(e),
      ` · ${e.n_reports} report(s), ${e.n_articles} article(s), ${e.n_outlets} outlet(s), ${e.n_claimants} claimant(s) · `, el("code", { text: e.id })),
  );
  if (e.merged_from) {
    page.append(el("p", { class: "note", id: "merged-note", role: "note" }, "The event ", el("code", { text: e.merged_from }),
      " was merged into this one as more reports came in."));
  }
  if ((e.flags || []).length) {
    page.append(el("div", { class: "banner check", id: "flags-banner", role: "note" },
      el("strong", { text: "Check before use: " }),
      el("ul", {}, e.flags.map((f) => el("li", { "data-code": f.code }, u(f.message))))));
  }
  const disputed = e.estimates.filter((x) => x.conflict);
  if (e.conflict) {
    const banner = el("div", { class: "banner", id: "conflict-banner", role: "alert" },
      el("strong", { text: "Sources disagree. " }));
    for (const x of disputed) {
      banner.append(el("div", {}, `${x.outcome}, ${groupText(x.group)}: `,
        x.sources.map((s, i) => [i ? "; " : "", u(s.name), " says “", u(s.count_text), "”"])));
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
  // tabindex: on a phone the table scrolls sideways, and a scrolling box needs the keyboard.
  return el("table", { class: "estimates", tabindex: "0", "aria-label": "Reconciled figures" },
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

const sentenceId = (key) => `sentence-${String(key).replace(/[^A-Za-z0-9]/g, "-")}`;

function sourcesSideBySide(e) {
  const wrap = el("div", { class: "sides" });
  const reports = new Map((e.claims || []).map((r) => [r.key, r]));
  for (const x of e.estimates) {
    if (x.sources.length < 2 && !x.conflict) continue;
    const row = el("div", { class: `side-row${x.conflict ? " conflict" : ""}`, "data-group": x.group },
      el("h3", { text: `${x.outcome}, ${groupText(x.group)}: ${n(x.low)}–${n(x.best)}–${n(x.high)}` }));
    const cards = el("ul", { class: "cards" });
    for (const s of x.sources) {
      const r = reports.get(s.claims[0]);
      const c = r ? r.claim : null;
      const claimant = c && c.claimant ? c.claimant.name || c.claimant.text : "(the outlet itself)";
      cards.append(el("li", { class: `card${s.partisan ? " partisan" : ""}`, "data-source": s.source },
        el("div", { class: "who" }, u(s.name)),
        el("div", { class: "count" }, "“", u(s.count_text), "”"),
        el("div", { class: "range", text: `low ${n(s.low)} · high ${n(s.high)}${s.vague ? " · vague" : ""}` }),
        el("div", { class: "kind", text: `${s.kind || ""}${s.partisan ? " · party to the conflict" : ""} · confidence ${Math.round(100 * s.confidence)} %` }),
        r ? el("div", { class: "said" },
          el("div", {}, "Outlet: ", u(r.outlet || "unknown"), ` · ${r.published || "undated"}`),
          el("div", { class: "headline" }, "Headline: ", u(r.title || "(none)")),
          el("div", {}, "Claimant: ", u(claimant)),
          el("a", { href: `#${sentenceId(r.key)}`, class: "to-sentence", text: "Read the sentence ↓" })) : ""));
    }
    row.append(cards);
    wrap.append(row);
  }
  if (!wrap.childNodes.length) wrap.append(el("p", { class: "hint", text: "A single source for every figure." }));
  return wrap;
}

function claimsTable(e) {
  return el("table", { class: "claims", tabindex: "0", "aria-label": "Claims" },
    el("thead", {}, el("tr", {}, ["outlet", "published", "claimant", "count", "low", "high", "outcome", "victims", "date", "article"]
      .map((h) => el("th", { text: h })))),
    el("tbody", {}, (e.claims || []).map((r) => {
      const c = r.claim;
      const who = c.claimant ? c.claimant.name || c.claimant.text : "(the outlet)";
      return el("tr", {},
        el("td", {}, u(r.outlet || "")), el("td", { text: r.published || "" }), el("td", {}, u(who)),
        el("td", { class: "count" }, u(c.count_text)), el("td", { class: "num", text: n(c.low) }),
        el("td", { class: "num", text: n(c.high) }), el("td", { text: c.outcome }),
        el("td", {}, u(c.victims ? c.victims.text : "")), el("td", { text: (c.date && c.date.start) || "" }),
        el("td", {}, el("a", { href: `${articleHref(r.article_id)}#claim-${c.index}`, text: r.article_id })));
    })));
}

async function evidenceBoxes(e, section) {
  const byArticle = new Map();
  for (const r of e.claims || []) {
    if (!byArticle.has(r.article_id)) byArticle.set(r.article_id, []);
    byArticle.get(r.article_id).push(r);
  }
  let data;
  try {
    // One request for all the event's articles, not one per article.
    data = await api(`events/${encodeURIComponent(e.id)}/articles`);
  } catch (err) {
    section.append(el("p", { class: "error", text: err.message }));
    return;
  }
  for (const a of data.articles) {
    const reports = byArticle.get(a.id) || [];
    const spans = reports.map((r) => ({ claim: r.claim.index, start: r.claim.evidence.start, end: r.claim.evidence.end, key: r.key }));
    const byIndex = new Map(a.claims.map((c) => [c.index, c]));
    const text = highlighted(a.text, spans, byIndex, (s) => sentenceId(s.key));
    text.classList.add("excerpt");
    // A scrolling box must be reachable by keyboard to be scrolled.
    text.setAttribute("tabindex", "0");
    text.setAttribute("role", "region");
    text.setAttribute("aria-label", `Text of the article from ${a.outlet || "an unknown outlet"}, ${a.published || "undated"}`);
    section.append(el("div", { class: "evidence-box", "data-article": a.id },
      el("h3", {}, el("a", { href: articleHref(a.id) }, u(a.title || a.id)),
        " · ", u(a.outlet || "outlet unknown"), ` · ${a.published || "undated"} · `,
        el("a", { href: rawHref(a.id), text: "raw page" })),
      text));
    const first = text.querySelector("mark");
    if (first) text.scrollTop = Math.max(0, first.offsetTop - text.offsetTop - 40);
  }
  // A link to a sentence scrolls its excerpt and the page to it.
  section.closest("article").addEventListener("click", (ev) => {
    const link = ev.target.closest("a.to-sentence");
    if (!link) return;
    ev.preventDefault();
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    const box = target.closest(".article-text");
    if (box) box.scrollTop = Math.max(0, target.offsetTop - box.offsetTop - 40);
    target.scrollIntoView({ block: "center" });
    target.classList.add("current");
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    history.replaceState(null, "", `#${target.id}`);
  });
}

// The article text with [start, end) spans marked; overlapping spans are cut at every boundary
// so that each piece is one <mark> carrying all the claims that cover it.
function highlighted(text, spans, claimsByIndex, idOf) {
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
    if (first) { mark.id = idOf ? idOf(first) : `claim-${first.claim}`; seen.add(first.claim); }
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
