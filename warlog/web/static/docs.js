// The API reference, rendered offline from /openapi.json (Swagger UI would load from a CDN).
"use strict";

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

async function main() {
  const root = document.getElementById("docs");
  const spec = await (await fetch("/openapi.json")).json();
  root.replaceChildren();
  root.append(el("h1", null, `${spec.info.title} ${spec.info.version}`));
  if (spec.info.summary) root.append(el("p", null, spec.info.summary));
  root.append(el("p", null, "Errors are JSON: {\"error\": {\"status\", \"code\", \"message\"}}. " +
    "Writes need \"Authorization: Bearer TOKEN\" (the server's $WARLOG_TOKEN)."));
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const box = el("section", "endpoint");
      const head = el("h2");
      head.append(el("span", `method ${method}`, method.toUpperCase()), " ", el("code", null, path));
      box.append(head, el("p", null, op.summary || ""));
      const params = op.parameters || [];
      if (params.length) {
        const table = el("table", "params");
        // On a phone the table scrolls sideways: a scrolling box must take the keyboard.
        table.tabIndex = 0;
        table.setAttribute("aria-label", `Parameters of ${method.toUpperCase()} ${path}`);
        const hr = el("tr");
        for (const h of ["parameter", "in", "type", "required", "description"]) hr.append(el("th", null, h));
        table.append(hr);
        for (const p of params) {
          const s = p.schema || {};
          const alt = (s.anyOf || []).map((x) => x.enum ? x.enum.join(" | ") : x.type).filter(Boolean).join(" or ");
          const type = s.enum ? s.enum.join(" | ") : (s.type || alt || "");
          const bounds = [s.minimum !== undefined ? `≥ ${s.minimum}` : "", s.maximum !== undefined ? `≤ ${s.maximum}` : "",
            s.default !== undefined ? `default ${JSON.stringify(s.default)}` : ""].filter(Boolean).join(", ");
          const tr = el("tr");
          tr.append(el("td", null, p.name), el("td", null, p.in), el("td", null, type),
            el("td", null, p.required ? "yes" : ""), el("td", null, [p.description || "", bounds].filter(Boolean).join("; ")));
          table.append(tr);
        }
        box.append(table);
      }
      if (op.requestBody) {
        box.append(el("p", null, "Body: " + Object.keys(op.requestBody.content || {}).join(", ")));
      }
      root.append(box);
    }
  }
}

main().catch((err) => {
  document.getElementById("docs").replaceChildren(el("p", "error", `Cannot load the API description: ${err}`));
});
