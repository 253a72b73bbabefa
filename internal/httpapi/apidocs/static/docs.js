// Renders the OpenAPI document of this API. Written for this page alone: no library, every
// node built with createElement and textContent, nothing loaded from elsewhere.
"use strict";

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function resolve(doc, node) {
  let seen = 0;
  while (node && node.$ref && seen++ < 20) {
    node = node.$ref.replace(/^#\//, "").split("/").reduce((o, k) => (o ? o[k] : undefined), doc);
  }
  return node || {};
}

function refName(node) {
  return node && node.$ref ? node.$ref.split("/").pop() : null;
}

function typeOf(doc, s) {
  const name = refName(s);
  s = resolve(doc, s);
  if (s.type === "array") return "array of " + typeOf(doc, s.items || {});
  let t = Array.isArray(s.type) ? s.type.join(" | ") : (s.type || (name ? name : "any"));
  if (name && s.type === "object") t = name;
  if (s.format) t += " (" + s.format + ")";
  return t;
}

function constraints(s) {
  const parts = [];
  if (s.enum) parts.push("one of " + s.enum.join(", "));
  if (s.const !== undefined) parts.push("always " + s.const);
  for (const k of ["minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "pattern", "default"]) {
    if (s[k] !== undefined) parts.push(k + " " + s[k]);
  }
  return parts.join("; ");
}

// fieldTable renders an object schema's fields, nesting objects and arrays of objects.
function fieldTable(doc, schema, depth) {
  const s = resolve(doc, schema);
  const target = s.type === "array" ? resolve(doc, s.items || {}) : s;
  if (!target.properties || depth > 4) return el("p", { class: "muted" }, typeOf(doc, schema));
  const required = new Set(target.required || []);
  const table = el("table", {}, el("tr", {}, el("th", {}, "field"), el("th", {}, "type"), el("th", {}, "required"), el("th", {}, "notes")));
  for (const [name, prop] of Object.entries(target.properties)) {
    const p = resolve(doc, prop);
    const notes = [p.description, constraints(p)].filter(Boolean).join(" — ");
    table.append(el("tr", {}, el("td", {}, el("code", {}, name)), el("td", {}, typeOf(doc, prop)), el("td", {}, required.has(name) ? "yes" : ""), el("td", {}, notes)));
    const inner = p.type === "array" ? resolve(doc, p.items || {}) : p;
    if (inner.properties && depth < 3) {
      const cell = el("td", { colspan: "4" }, el("div", { class: "muted" }, name + ":"), fieldTable(doc, prop, depth + 1));
      table.append(el("tr", {}, cell));
    }
  }
  return table;
}

function renderOperation(doc, path, method, op) {
  const id = op.operationId || method + path;
  const section = el("section", { class: "op", id: id });
  section.dataset.search = [method, path, op.summary, (op.tags || []).join(" ")].join(" ").toLowerCase();
  section.append(el("h2", {}, el("span", { class: "badge m-" + method }, method.toUpperCase()), el("span", { class: "path" }, path),
    el("span", { class: "roles" }, "who: " + (op["x-roles"] || []).join(", "))));
  if (op.summary) section.append(el("p", {}, el("strong", {}, op.summary)));
  if (op.description) section.append(el("p", { class: "muted" }, op.description));
  if (op.parameters && op.parameters.length) {
    const t = el("table", {}, el("tr", {}, el("th", {}, "parameter"), el("th", {}, "in"), el("th", {}, "type"), el("th", {}, "notes")));
    for (const p of op.parameters) {
      t.append(el("tr", {}, el("td", {}, el("code", {}, p.name), p.required ? " *" : ""), el("td", {}, p.in), el("td", {}, typeOf(doc, p.schema || {})),
        el("td", {}, [p.description, constraints(p.schema || {})].filter(Boolean).join(" — "))));
    }
    section.append(el("h4", {}, "Parameters"), t);
  }
  if (op.requestBody) {
    const media = Object.values(op.requestBody.content || {})[0] || {};
    section.append(el("h4", {}, "Request body"), fieldTable(doc, media.schema || {}, 0));
    if (media.example) section.append(el("pre", {}, JSON.stringify(media.example, null, 2)));
  }
  section.append(el("h4", {}, "Responses"));
  const rt = el("table", {}, el("tr", {}, el("th", {}, "status"), el("th", {}, "meaning"), el("th", {}, "body")));
  for (const [code, r0] of Object.entries(op.responses || {})) {
    const r = resolve(doc, r0);
    const [mt, media] = Object.entries(r.content || {})[0] || [null, null];
    let body = "—";
    if (media && refName(media.schema) === "Problem") {
      body = el("div", { class: "muted" }, mt + " · Problem (see the conventions above)");
    } else if (media) {
      body = el("div", {}, el("div", { class: "muted" }, mt), fieldTable(doc, media.schema || {}, 1));
    }
    rt.append(el("tr", {}, el("td", { class: "status s" + code[0] }, code), el("td", {}, r.description || ""), el("td", {}, body)));
  }
  section.append(rt);
  return section;
}

function render(doc) {
  document.getElementById("title").textContent = doc.info.title;
  document.getElementById("version").textContent = "OpenAPI " + doc.openapi + " · version " + doc.info.version + " · /api/v1/openapi.json";
  const main = document.getElementById("main");
  const nav = document.getElementById("nav");
  main.replaceChildren(el("div", { class: "intro" }, doc.info.description || ""));
  nav.replaceChildren();
  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags || ["Other"])[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push([path, method, op]);
    }
  }
  const order = (doc.tags || []).map((t) => t.name);
  const tags = [...byTag.keys()].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  for (const tag of tags) {
    nav.append(el("h3", {}, tag));
    main.append(el("h2", {}, tag));
    for (const [path, method, op] of byTag.get(tag)) {
      const section = renderOperation(doc, path, method, op);
      main.append(section);
      const link = el("a", { href: "#" + section.id }, el("span", { class: "badge m-" + method }, method.toUpperCase()), el("span", { class: "path" }, path));
      link.dataset.search = section.dataset.search;
      nav.append(link);
    }
  }
}

function applyFilter() {
  const q = document.getElementById("filter").value.trim().toLowerCase();
  for (const e of document.querySelectorAll("section.op, nav a")) {
    e.classList.toggle("hidden", q !== "" && !e.dataset.search.includes(q));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("filter").addEventListener("input", applyFilter);
  fetch("/api/v1/openapi.json")
    .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
    .then(render)
    .catch((err) => document.getElementById("main").replaceChildren(el("p", {}, "Could not load the API document: " + err.message)));
});
