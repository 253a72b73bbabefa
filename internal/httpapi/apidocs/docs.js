// API reference renderer: fetches the OpenAPI 3.1 document and builds the page from it.
//
// It runs under a strict Content-Security-Policy (no inline script or style, no eval) and builds
// every node with createElement and textContent: text from the document is never parsed as
// HTML. No third-party code, no build step.
(function () {
  "use strict";

  var METHODS = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];
  var MAX_DEPTH = 8;

  var doc = null; // the OpenAPI document
  var opBlocks = []; // {op, section, navItem, haystack, tag}
  var tagBlocks = {}; // tag name -> {section, navGroup}

  // ------------------------------------------------------------------ DOM helpers

  // h builds an element: h("div", {class: "x", href: "..."}, child, [children], "text").
  function h(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === "class") node.className = v;
        else if (k === "text") node.textContent = v;
        else if (k === "open") node.open = !!v;
        else node.setAttribute(k, v === true ? "" : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) {
      child.forEach(function (c) { append(node, c); });
    } else if (typeof child === "string" || typeof child === "number") {
      node.appendChild(document.createTextNode(String(child)));
    } else {
      node.appendChild(child);
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function code(text, cls) {
    return h("code", { class: cls }, String(text));
  }

  // ------------------------------------------------------------------ Markdown (a safe subset)

  // safeHref allows web links, mail links and links within this site.
  function safeHref(url) {
    var u = String(url).trim();
    if (/^(https?:|mailto:)/i.test(u)) return u;
    if (/^[/#]/.test(u) && !/^\/\//.test(u)) return u;
    return null;
  }

  var INLINE_SOURCE = /(`+)([\s\S]*?[^`])\1(?!`)|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_(?![A-Za-z0-9])/g;

  function inline(text) {
    var frag = document.createDocumentFragment();
    var s = String(text);
    var last = 0;
    var m;
    var re = new RegExp(INLINE_SOURCE.source, "g"); // its own lastIndex: inline recurses
    while ((m = re.exec(s)) !== null) {
      if (m.index > last) frag.appendChild(document.createTextNode(s.slice(last, m.index)));
      if (m[1]) {
        frag.appendChild(code(m[2].trim()));
      } else if (m[3] !== undefined) {
        frag.appendChild(h("strong", null, inline(m[3])));
      } else if (m[4] !== undefined) {
        var href = safeHref(m[5]);
        if (href) {
          var external = /^https?:/i.test(href);
          frag.appendChild(h("a", { href: href, rel: external ? "noopener noreferrer" : null, target: external ? "_blank" : null }, inline(m[4])));
        } else {
          frag.appendChild(document.createTextNode(m[4]));
        }
      } else if (m[6] !== undefined) {
        frag.appendChild(h("em", null, inline(m[6])));
      } else if (m[7] !== undefined) {
        frag.appendChild(h("em", null, inline(m[7])));
      }
      last = re.lastIndex;
    }
    if (last < s.length) frag.appendChild(document.createTextNode(s.slice(last)));
    return frag;
  }

  // markdown renders headings, paragraphs, bullet and numbered lists, fenced code and inline
  // code, emphasis and links. Anything else stays plain text.
  function markdown(text, cls) {
    var root = h("div", { class: "md" + (cls ? " " + cls : "") });
    if (!text) return root;
    var lines = String(text).replace(/\r\n?/g, "\n").split("\n");
    var para = [];
    var list = null;
    var listItem = null;

    function flushPara() {
      if (para.length) root.appendChild(h("p", null, inline(para.join(" "))));
      para = [];
    }
    function flushList() {
      if (list) root.appendChild(list);
      list = null;
      listItem = null;
    }

    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      var m;
      if (/^\s*```/.test(line)) {
        flushPara();
        flushList();
        var buf = [];
        for (i++; i < lines.length && !/^\s*```/.test(lines[i]); i++) buf.push(lines[i]);
        root.appendChild(h("pre", { class: "code" }, h("code", null, buf.join("\n"))));
        continue;
      }
      if (/^\s*$/.test(line)) {
        flushPara();
        flushList();
        continue;
      }
      if ((m = /^(#{1,6})\s+(.*)$/.exec(line))) {
        flushPara();
        flushList();
        var level = Math.min(6, m[1].length + 2); // the page owns h1 and h2
        root.appendChild(h("h" + level, null, inline(m[2])));
        continue;
      }
      if ((m = /^\s*(?:[-*+]|(\d+)[.)])\s+(.*)$/.exec(line))) {
        flushPara();
        var ordered = !!m[1];
        if (!list || (list.tagName === "OL") !== ordered) {
          flushList();
          list = h(ordered ? "ol" : "ul");
        }
        listItem = h("li", null, inline(m[2]));
        list.appendChild(listItem);
        continue;
      }
      if (listItem && /^\s+\S/.test(line)) {
        listItem.appendChild(document.createTextNode(" "));
        listItem.appendChild(inline(line.trim()));
        continue;
      }
      flushList();
      para.push(line.trim());
    }
    flushPara();
    flushList();
    return root;
  }

  // ------------------------------------------------------------------ $ref resolution

  function pointer(ref) {
    if (typeof ref !== "string" || ref.charAt(0) !== "#") return undefined;
    var node = doc;
    var parts = ref.slice(1).split("/").slice(1);
    for (var i = 0; i < parts.length; i++) {
      var key = decodeURIComponent(parts[i]).replace(/~1/g, "/").replace(/~0/g, "~");
      if (node === null || typeof node !== "object" || !(key in node)) return undefined;
      node = node[key];
    }
    return node;
  }

  function refName(ref) {
    var parts = String(ref).split("/");
    return parts[parts.length - 1].replace(/~1/g, "/").replace(/~0/g, "~");
  }

  // deref follows $refs; sibling summary/description override the target's (OpenAPI 3.1).
  // It returns {node, name, ref}: the last $ref followed and its last segment, or "".
  function deref(obj) {
    var name = "";
    var ref = "";
    var overrides = {};
    for (var n = 0; obj && typeof obj === "object" && typeof obj.$ref === "string" && n < 32; n++) {
      if (obj.description !== undefined && overrides.description === undefined) overrides.description = obj.description;
      if (obj.summary !== undefined && overrides.summary === undefined) overrides.summary = obj.summary;
      ref = obj.$ref;
      name = refName(ref);
      var target = pointer(obj.$ref);
      if (target === undefined) return { node: { description: "Unresolved reference " + obj.$ref }, name: name, ref: "", broken: true };
      obj = target;
    }
    if (overrides.description !== undefined || overrides.summary !== undefined) {
      obj = Object.assign({}, obj, overrides);
    }
    return { node: obj || {}, name: name, ref: ref };
  }

  // ------------------------------------------------------------------ schemas

  function typesOf(s) {
    if (Array.isArray(s.type)) return s.type.slice();
    if (typeof s.type === "string") return [s.type];
    if (s.properties || s.additionalProperties) return ["object"];
    if (s.items) return ["array"];
    if (s.enum && s.enum.length) return [typeof s.enum[0] === "number" ? "number" : typeof s.enum[0]];
    if (s.const !== undefined) return [s.const === null ? "null" : typeof s.const];
    return [];
  }

  // typeLabel describes a schema's type in a few words, as a list of nodes (links to named
  // schemas included).
  function typeLabel(schema, depth) {
    depth = depth || 0;
    var r = deref(schema);
    var s = r.node;
    var out = [];
    if (depth > 4) return ["…"];
    if (r.ref.indexOf("#/components/schemas/") === 0) {
      out.push(schemaLink(r.name));
      var base = typesOf(s);
      if (base.length && !(s.properties)) out.push(h("span", { class: "type-base" }, " " + base.join(" | ")));
      return out;
    }
    var variants = s.oneOf || s.anyOf;
    if (variants) {
      variants.forEach(function (v, i) {
        if (i) out.push(" | ");
        out.push.apply(out, typeLabel(v, depth + 1));
      });
      return out;
    }
    if (s.allOf) {
      s.allOf.forEach(function (v, i) {
        if (i) out.push(" & ");
        out.push.apply(out, typeLabel(v, depth + 1));
      });
      return out;
    }
    var types = typesOf(s);
    if (!types.length) return ["any"];
    types.forEach(function (t, i) {
      if (i) out.push(" | ");
      if (t === "array") {
        out.push("array of ");
        if (s.items) out.push.apply(out, typeLabel(s.items, depth + 1));
        else out.push("any");
      } else if (t === "object" && s.additionalProperties && typeof s.additionalProperties === "object" && !s.properties) {
        out.push("map of ");
        out.push.apply(out, typeLabel(s.additionalProperties, depth + 1));
      } else {
        out.push(t);
        if (s.format) out.push(h("span", { class: "type-format" }, " (" + s.format + ")"));
      }
    });
    return out;
  }

  function schemaLink(name) {
    return h("a", { class: "schema-link", href: "#schema-" + name }, name);
  }

  function jsonText(v) {
    return JSON.stringify(v);
  }

  // range phrases bounds: "1–100 items", "at least 1 item", "≥ 0", "> 0 and < 10".
  function range(lo, hi, unit, exLo, exHi) {
    var noun = function (n) { return unit ? " " + (n === 1 ? unit.replace(/s$/, "") : unit) : ""; };
    if (lo !== undefined && hi !== undefined) {
      if (exLo || exHi) return (exLo ? "> " : "≥ ") + lo + " and " + (exHi ? "< " : "≤ ") + hi + noun(hi);
      return lo + "–" + hi + noun(hi);
    }
    if (lo !== undefined) return unit ? "at least " + lo + noun(lo) : (exLo ? "> " : "≥ ") + lo;
    return unit ? "at most " + hi + noun(hi) : (exHi ? "< " : "≤ ") + hi;
  }

  // constraints lists a schema's validation keywords as short phrases (nodes).
  function constraints(schema) {
    var s = deref(schema).node;
    var out = [];
    function add() {
      out.push(h("li", null, Array.prototype.slice.call(arguments)));
    }
    if (s.enum) add("one of ", s.enum.map(function (v, i) { return [i ? ", " : "", code(jsonText(v).replace(/^"|"$/g, ""))]; }));
    if (s.const !== undefined) add("always ", code(jsonText(s.const).replace(/^"|"$/g, "")));
    var lo = s.minimum !== undefined ? s.minimum : s.exclusiveMinimum;
    var hi = s.maximum !== undefined ? s.maximum : s.exclusiveMaximum;
    if (lo !== undefined || hi !== undefined) add(range(lo, hi, "", s.minimum === undefined && lo !== undefined, s.maximum === undefined && hi !== undefined));
    if (s.minLength !== undefined || s.maxLength !== undefined) {
      if (s.minLength !== undefined && s.minLength === s.maxLength) add("exactly " + s.minLength + " characters");
      else add(range(s.minLength, s.maxLength, "characters"));
    }
    if (s.pattern) add("pattern ", code(s.pattern));
    if (s.minItems !== undefined || s.maxItems !== undefined) add(range(s.minItems, s.maxItems, "items"));
    if (s.uniqueItems) add("unique items");
    if (s.minProperties !== undefined || s.maxProperties !== undefined) add(range(s.minProperties, s.maxProperties, "fields"));
    if (s.multipleOf !== undefined) add("multiple of " + s.multipleOf);
    if (s.default !== undefined) add("default ", code(jsonText(s.default).replace(/^"|"$/g, "")));
    if (s.additionalProperties === false && s.properties) add("no other fields");
    if (s.readOnly) add("read-only");
    if (s.writeOnly) add("write-only");
    if (s.deprecated) add(h("span", { class: "deprecated" }, "deprecated"));
    if (Array.isArray(s.examples) && s.examples.length && typeof s.examples[0] !== "object") add("e.g. ", code(jsonText(s.examples[0])));
    return out.length ? h("ul", { class: "constraints" }, out) : null;
  }

  // objectShape returns the properties and required names of an object schema, merging allOf;
  // null if the schema has no fields to list.
  function objectShape(schema, depth) {
    var s = deref(schema).node;
    if (depth > MAX_DEPTH) return null;
    if (s.allOf) {
      var props = {};
      var req = [];
      s.allOf.forEach(function (part) {
        var shape = objectShape(part, depth + 1);
        if (shape) {
          Object.assign(props, shape.properties);
          req = req.concat(shape.required);
        }
      });
      if (s.properties) Object.assign(props, s.properties);
      if (s.required) req = req.concat(s.required);
      return Object.keys(props).length ? { properties: props, required: req } : null;
    }
    if (s.properties && Object.keys(s.properties).length) return { properties: s.properties, required: s.required || [] };
    return null;
  }

  // nested returns the schema whose fields a property's row should be followed by: the object
  // itself, an array's item object, or the object variant of "X | null".
  function nested(schema) {
    var s = deref(schema).node;
    var variants = s.oneOf || s.anyOf;
    if (variants) {
      var objs = variants.filter(function (v) { return objectShape(v, 0); });
      return objs.length === 1 ? { schema: objs[0], suffix: "." } : null;
    }
    if (objectShape(s, 0)) return { schema: s, suffix: "." };
    var types = typesOf(s);
    if (types.indexOf("array") >= 0 && s.items) {
      var inner = nested(s.items);
      if (inner) return { schema: inner.schema, suffix: "[]." };
    }
    return null;
  }

  function refKey(schema) {
    return schema && schema.$ref ? schema.$ref : null;
  }

  // fieldRows appends one row per property, recursing into nested objects and arrays of
  // objects; seen holds the $refs being expanded, against recursive schemas.
  function fieldRows(tbody, schema, prefix, depth, seen) {
    var shape = objectShape(schema, 0);
    if (!shape) return;
    Object.keys(shape.properties).forEach(function (name) {
      var prop = shape.properties[name];
      var resolved = deref(prop).node;
      var required = shape.required.indexOf(name) >= 0;
      var nameCell = h("td", { class: "field depth-" + Math.min(depth, 6) },
        prefix ? h("span", { class: "field-prefix" }, prefix) : null,
        h("span", { class: "field-name" }, name));
      tbody.appendChild(h("tr", null,
        nameCell,
        h("td", { class: "type" }, typeLabel(prop)),
        h("td", { class: "req" }, required ? h("span", { class: "required" }, "required") : h("span", { class: "optional" }, "optional")),
        h("td", { class: "desc" }, resolved.description ? markdown(resolved.description, "md-inline") : null,
          resolved.title && !resolved.description ? resolved.title : null),
        h("td", { class: "cons" }, constraints(prop))));
      var next = nested(prop);
      if (!next || depth >= MAX_DEPTH) return;
      var key = refKey(prop) || (prop.items && refKey(prop.items)) || refKey(next.schema);
      if (key && seen.indexOf(key) >= 0) {
        tbody.appendChild(h("tr", { class: "recursive" }, h("td", { colspan: 5, class: "field depth-" + Math.min(depth + 1, 6) }, "… (recursive)")));
        return;
      }
      fieldRows(tbody, next.schema, prefix + name + next.suffix, depth + 1, key ? seen.concat([key]) : seen);
    });
  }

  // schemaView shows a schema: a field table for objects (and arrays of objects), otherwise a
  // one-line summary of its type.
  function schemaView(schema, noHead) {
    var r = deref(schema);
    var s = r.node;
    var wrap = h("div", { class: "schema" });
    if (!noHead) wrap.appendChild(h("div", { class: "schema-head" }, h("span", { class: "label" }, "Schema"), " ", typeLabel(schema)));
    var target = nested(schema);
    if (!target) {
      if (s.description && (!r.name || noHead)) wrap.appendChild(markdown(s.description, "schema-desc"));
      var c = constraints(schema);
      if (c) wrap.appendChild(c);
      return wrap;
    }
    var top = deref(target.schema).node;
    if (r.name && s.description) wrap.appendChild(markdown(s.description, "schema-desc"));
    else if (!r.name && top.description) wrap.appendChild(markdown(top.description, "schema-desc"));
    var tbody = h("tbody");
    var prefix = target.suffix === "[]." ? "[]." : "";
    var seen = [refKey(schema), refKey(target.schema)].filter(Boolean);
    fieldRows(tbody, target.schema, prefix, 0, seen);
    wrap.appendChild(h("div", { class: "table-wrap" }, h("table", { class: "fields" },
      h("thead", null, h("tr", null, h("th", { text: "Field" }), h("th", { text: "Type" }), h("th", { text: "Required" }),
        h("th", { text: "Description" }), h("th", { text: "Constraints" }))),
      tbody)));
    return wrap;
  }

  // sample makes an example value from a schema, for media types that carry none.
  function sample(schema, depth, seen) {
    depth = depth || 0;
    seen = seen || [];
    if (depth > 6) return null;
    var key = refKey(schema);
    if (key && seen.indexOf(key) >= 0) return null;
    if (key) seen = seen.concat([key]);
    var s = deref(schema).node;
    if (s.example !== undefined) return s.example;
    if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
    if (s.const !== undefined) return s.const;
    if (s.default !== undefined) return s.default;
    if (s.enum && s.enum.length) return s.enum[0];
    var variants = s.oneOf || s.anyOf;
    if (variants && variants.length) return sample(variants[0], depth + 1, seen);
    var shape = objectShape(s, 0);
    if (shape) {
      var o = {};
      Object.keys(shape.properties).forEach(function (k) { o[k] = sample(shape.properties[k], depth + 1, seen); });
      return o;
    }
    var t = typesOf(s)[0];
    switch (t) {
      case "array": return s.items ? [sample(s.items, depth + 1, seen)] : [];
      case "object": return {};
      case "integer": return s.minimum !== undefined ? s.minimum : 0;
      case "number": return s.minimum !== undefined ? s.minimum : 0;
      case "boolean": return true;
      case "null": return null;
      case "string":
        switch (s.format) {
          case "uuid": return "3fa85f64-5717-4562-b3fc-2c963f66afa6";
          case "date-time": return "2025-01-01T00:00:00Z";
          case "date": return "2025-01-01";
          case "email": return "user@example.com";
          case "uri": case "uri-reference": return "https://example.com/";
          default: return "string";
        }
    }
    return null;
  }

  // schemaExample shows a named schema's own example, if it has one.
  function schemaExample(schema) {
    var s = deref(schema).node;
    if (s.example === undefined || typeof s.example !== "object") return null;
    return exampleView({ example: s.example }, null, "application/json");
  }

  function exampleView(media, schema, mediaType) {
    var shown = [];
    if (media && media.examples && typeof media.examples === "object") {
      Object.keys(media.examples).forEach(function (k) {
        var ex = deref(media.examples[k]).node;
        if (ex.value !== undefined) shown.push({ label: ex.summary || k, value: ex.value });
      });
    }
    if (!shown.length && media && media.example !== undefined) shown.push({ label: "", value: media.example });
    if (!shown.length && schema && (nested(schema) || typesOf(deref(schema).node).indexOf("array") >= 0)) {
      var gen = sample(schema);
      if (gen !== null && gen !== undefined) shown.push({ label: "generated from the schema", value: gen });
    }
    if (!shown.length) return null;
    var box = h("div", { class: "examples" });
    shown.forEach(function (ex) {
      var text = typeof ex.value === "string" && !/json/.test(mediaType || "") ? ex.value : JSON.stringify(ex.value, null, 2);
      box.appendChild(h("div", { class: "example" },
        h("div", { class: "example-head" }, h("span", { class: "label" }, "Example"), ex.label ? h("span", { class: "example-label" }, ex.label) : null),
        h("pre", { class: "code" }, h("code", null, text))));
    });
    return box;
  }

  function contentView(content) {
    var box = h("div", { class: "content-types" });
    Object.keys(content || {}).forEach(function (mt) {
      var media = content[mt] || {};
      box.appendChild(h("div", { class: "media" },
        h("div", { class: "media-type" }, h("span", { class: "label" }, "Content type"), " ", code(mt)),
        media.schema ? schemaView(media.schema) : null,
        exampleView(media, media.schema, mt)));
    });
    return box;
  }

  // ------------------------------------------------------------------ operations

  function methodBadge(method, small) {
    return h("span", { class: "method method-" + method + (small ? " method-small" : "") }, method.toUpperCase());
  }

  function pathView(path) {
    var span = h("span", { class: "path" });
    String(path).split(/(\{[^}]+\})/).forEach(function (part) {
      if (!part) return;
      append(span, /^\{.*\}$/.test(part) ? h("span", { class: "path-param" }, part) : part);
    });
    return span;
  }

  var ROLE_TITLES = {
    anyone: "No token needed",
    "signed-in": "Any signed-in user",
    owner: "The customer the resource belongs to",
    operators: "Operators (not behind the public proxy)"
  };

  function roleChips(roles) {
    return h("span", { class: "roles" }, (roles || []).map(function (r) {
      return h("span", { class: "role role-" + String(r).replace(/[^a-z0-9-]/gi, ""), title: ROLE_TITLES[r] || "Role: " + r }, String(r));
    }));
  }

  function securityOf(op) {
    var sec = op.security !== undefined ? op.security : doc.security;
    return Array.isArray(sec) ? sec.filter(function (req) { return req && Object.keys(req).length; }) : [];
  }

  function authView(op) {
    var sec = securityOf(op);
    var box = h("div", { class: "auth" });
    var title = h("span", { class: "label" }, "Authorization");
    if (!sec.length) {
      box.appendChild(h("div", { class: "auth-line" }, title, h("span", { class: "auth-none" }, "No token needed")));
    } else {
      var alternatives = sec.map(function (req) {
        return Object.keys(req).map(function (name) {
          var scheme = deref(((doc.components || {}).securitySchemes || {})[name] || {}).node;
          var what = scheme.type === "http" ? "HTTP " + (scheme.scheme || "") + (scheme.bearerFormat ? " (" + scheme.bearerFormat + ")" : "")
            : scheme.type === "apiKey" ? "API key in " + scheme.in + " " + scheme.name : scheme.type || "";
          return [code(name), " ", h("span", { class: "auth-what" }, what.trim())];
        });
      });
      box.appendChild(h("div", { class: "auth-line" }, title, h("span", { class: "lock", "aria-hidden": "true" }),
        alternatives.map(function (a, i) { return [i ? " or " : "", a]; }),
        h("span", { class: "auth-header" }, "Authorization: Bearer <token>")));
    }
    if (op["x-roles"]) {
      box.appendChild(h("div", { class: "auth-line" }, h("span", { class: "label" }, "Who may call it"), roleChips(op["x-roles"])));
    }
    return box;
  }

  function parameterList(pathItem, op) {
    var byKey = {};
    var order = [];
    (pathItem.parameters || []).concat(op.parameters || []).forEach(function (p) {
      var r = deref(p).node;
      var key = r.in + ":" + r.name;
      if (!(key in byKey)) order.push(key);
      byKey[key] = r;
    });
    return order.map(function (k) { return byKey[k]; });
  }

  function parametersView(params) {
    if (!params.length) return null;
    var tbody = h("tbody");
    params.forEach(function (p) {
      var example = p.example !== undefined ? p.example : null;
      var cons = constraints(p.schema || {});
      if (example !== null) {
        cons = cons || h("ul", { class: "constraints" });
        cons.appendChild(h("li", null, "e.g. ", code(typeof example === "string" ? example : JSON.stringify(example))));
      }
      tbody.appendChild(h("tr", null,
        h("td", { class: "field" }, h("span", { class: "field-name" }, p.name), p.deprecated ? h("span", { class: "deprecated" }, " deprecated") : null),
        h("td", null, h("span", { class: "param-in param-in-" + p.in }, p.in)),
        h("td", { class: "type" }, p.schema ? typeLabel(p.schema) : "—"),
        h("td", { class: "req" }, p.required ? h("span", { class: "required" }, "required") : h("span", { class: "optional" }, "optional")),
        h("td", { class: "desc" }, p.description ? markdown(p.description, "md-inline") : null),
        h("td", { class: "cons" }, cons)));
    });
    return h("section", { class: "block" }, h("h4", { text: "Parameters" }),
      h("div", { class: "table-wrap" }, h("table", { class: "fields params" },
        h("thead", null, h("tr", null, ["Name", "In", "Type", "Required", "Description", "Constraints"].map(function (t) { return h("th", { text: t }); }))),
        tbody)));
  }

  function requestBodyView(op) {
    if (!op.requestBody) return null;
    var r = deref(op.requestBody);
    var rb = r.node;
    return h("section", { class: "block" },
      h("h4", null, "Request body ", rb.required ? h("span", { class: "required" }, "required") : h("span", { class: "optional" }, "optional")),
      rb.description ? markdown(rb.description) : null,
      contentView(rb.content));
  }

  function statusClass(code) {
    var c = String(code).charAt(0);
    return "status status-" + (/[1-5]/.test(c) ? c : "d") + "xx";
  }

  function responsesView(op) {
    var responses = op.responses || {};
    var codes = Object.keys(responses).sort();
    if (!codes.length) return null;
    var list = h("div", { class: "responses" });
    var firstSuccess = codes.filter(function (c) { return /^2/.test(c); })[0];
    codes.forEach(function (code) {
      var r = deref(responses[code]);
      var res = r.node;
      var headers = Object.keys(res.headers || {});
      var details = h("details", { class: "response", open: code === firstSuccess });
      details.appendChild(h("summary", null,
        h("span", { class: statusClass(code) }, code),
        h("span", { class: "response-desc" }, inline(firstLine(res.description || ""))),
        r.name ? h("span", { class: "response-ref", title: "#/components/responses/" + r.name }, r.name) : null));
      var body = h("div", { class: "response-body" });
      if (res.description && firstLine(res.description) !== res.description) body.appendChild(markdown(res.description));
      if (headers.length) {
        body.appendChild(h("div", { class: "headers" }, h("span", { class: "label" }, "Headers"),
          headers.map(function (name) {
            var hd = deref(res.headers[name]).node;
            return h("span", { class: "header-chip", title: hd.description || "" }, name);
          })));
      }
      if (res.content && Object.keys(res.content).length) body.appendChild(contentView(res.content));
      else body.appendChild(h("p", { class: "muted", text: "No body." }));
      details.appendChild(body);
      list.appendChild(details);
    });
    return h("section", { class: "block" }, h("h4", { text: "Responses" }), list);
  }

  function firstLine(text) {
    return String(text).split(/\n\s*\n/)[0].replace(/\s+/g, " ").trim();
  }

  function operationView(path, pathItem, method, op) {
    var id = "op-" + (op.operationId || method + "-" + path);
    var details = h("details", { class: "op op-" + method, id: id });
    details.appendChild(h("summary", { class: "op-summary" },
      methodBadge(method),
      pathView(path),
      h("span", { class: "op-title" }, op.summary || ""),
      op["x-roles"] ? h("span", { class: "op-roles" }, roleChips(op["x-roles"])) : null,
      h("span", { class: "lock-slot" }, securityOf(op).length ? h("span", { class: "lock", title: "Needs a bearer token", role: "img", "aria-label": "Needs a bearer token" }) : null),
      h("a", { class: "permalink", href: "#" + id, title: "Link to this operation", "aria-label": "Link to this operation" }, "#")));
    var body = h("div", { class: "op-body" });
    if (op.deprecated) body.appendChild(h("p", { class: "deprecated-note", text: "Deprecated." }));
    if (op.description) body.appendChild(markdown(op.description, "op-desc"));
    body.appendChild(h("div", { class: "op-meta" },
      op.operationId ? h("span", null, h("span", { class: "label" }, "Operation ID"), code(op.operationId)) : null));
    body.appendChild(authView(op));
    append(body, parametersView(parameterList(pathItem, op)));
    append(body, requestBodyView(op));
    append(body, responsesView(op));
    details.appendChild(body);
    return details;
  }

  // ------------------------------------------------------------------ page

  function collectOperations() {
    var ops = [];
    Object.keys(doc.paths || {}).forEach(function (path) {
      var item = deref(doc.paths[path]).node;
      METHODS.forEach(function (method) {
        if (item[method]) ops.push({ path: path, item: item, method: method, op: item[method] });
      });
    });
    return ops;
  }

  function tagOrder(ops) {
    var order = (doc.tags || []).map(function (t) { return t.name; });
    ops.forEach(function (o) {
      var tag = (o.op.tags && o.op.tags[0]) || "Other";
      if (order.indexOf(tag) < 0) order.push(tag);
    });
    return order;
  }

  function tagInfo(name) {
    return (doc.tags || []).filter(function (t) { return t.name === name; })[0] || { name: name };
  }

  function overviewView() {
    var info = doc.info || {};
    var sec = h("section", { class: "overview", id: "overview" });
    sec.appendChild(h("h1", { text: info.title || "API reference" }));
    sec.appendChild(h("div", { class: "overview-meta" },
      info.version ? h("span", { class: "pill pill-version" }, "v" + info.version) : null,
      doc.openapi ? h("span", { class: "pill pill-oas" }, "OpenAPI " + doc.openapi) : null,
      (doc.servers || []).map(function (s) { return h("span", { class: "pill pill-server", title: s.description || "" }, "Server " + s.url); })));
    if (info.summary) sec.appendChild(h("p", { class: "lead", text: info.summary }));
    if (info.description) sec.appendChild(markdown(info.description, "overview-desc"));
    var schemes = (doc.components || {}).securitySchemes || {};
    var names = Object.keys(schemes);
    if (names.length) {
      var tbody = h("tbody");
      names.forEach(function (n) {
        var s = deref(schemes[n]).node;
        tbody.appendChild(h("tr", null, h("td", { class: "field" }, code(n)),
          h("td", null, [s.type, s.scheme, s.bearerFormat].filter(Boolean).join(" · ")),
          h("td", { class: "desc" }, s.description ? markdown(s.description, "md-inline") : null)));
      });
      sec.appendChild(h("h3", { text: "Security schemes" }));
      sec.appendChild(h("div", { class: "table-wrap" }, h("table", { class: "fields" },
        h("thead", null, h("tr", null, h("th", { text: "Name" }), h("th", { text: "Type" }), h("th", { text: "Description" }))), tbody)));
    }
    return sec;
  }

  function schemasView() {
    var schemas = (doc.components || {}).schemas || {};
    var names = Object.keys(schemas).sort();
    if (!names.length) return null;
    var sec = h("section", { class: "tag-section", id: "schemas" },
      h("h2", { class: "tag-title" }, "Schemas"),
      h("p", { class: "tag-desc", text: "Every named schema of the document; types above link here." }));
    names.forEach(function (name) {
      var d = h("details", { class: "schema-entry", id: "schema-" + name },
        h("summary", null, h("span", { class: "schema-name" }, name), h("span", { class: "schema-kind" }, typesOf(deref(schemas[name]).node).join(" | "))),
        h("div", { class: "schema-body" }, schemaView({ $ref: "#/components/schemas/" + name.replace(/~/g, "~0").replace(/\//g, "~1") }, true),
          schemaExample(schemas[name])));
      sec.appendChild(d);
    });
    return sec;
  }

  function render(spec) {
    doc = spec;
    var info = doc.info || {};
    document.title = (info.title || "API") + " reference";
    var title = document.getElementById("doc-title");
    if (title) title.textContent = info.title || "API reference";
    showPill("doc-version", info.version ? "v" + info.version : "");
    showPill("doc-oas", doc.openapi ? "OpenAPI " + doc.openapi : "");

    var content = document.getElementById("content");
    var nav = document.getElementById("nav");
    clear(content);
    clear(nav);

    var toolbar = h("div", { class: "toolbar" },
      h("span", { id: "match-count", class: "muted" }),
      h("span", { class: "toolbar-buttons" },
        h("button", { type: "button", id: "expand-all", class: "btn" }, "Expand all"),
        h("button", { type: "button", id: "collapse-all", class: "btn" }, "Collapse all")));
    content.appendChild(overviewView());
    content.appendChild(toolbar);

    nav.appendChild(h("a", { class: "nav-top", href: "#overview" }, "Overview"));

    var ops = collectOperations();
    tagOrder(ops).forEach(function (tag) {
      var mine = ops.filter(function (o) { return ((o.op.tags && o.op.tags[0]) || "Other") === tag; });
      if (!mine.length) return;
      var t = tagInfo(tag);
      var section = h("section", { class: "tag-section", id: "tag-" + tag },
        h("h2", { class: "tag-title" }, tag),
        t.description ? markdown(t.description, "tag-desc") : null);
      var navList = h("ul", { class: "nav-list" });
      var navGroup = h("div", { class: "nav-group" }, h("a", { class: "nav-tag", href: "#tag-" + tag }, tag), navList);
      mine.forEach(function (o) {
        var view = operationView(o.path, o.item, o.method, o.op);
        section.appendChild(view);
        var link = h("a", { href: "#" + view.id, title: o.method.toUpperCase() + " " + o.path },
          methodBadge(o.method, true),
          h("span", { class: "nav-text" }, h("span", { class: "nav-summary" }, o.op.summary || o.path), h("span", { class: "nav-path" }, o.path)));
        var item = h("li", null, link);
        navList.appendChild(item);
        opBlocks.push({
          section: view, navItem: item, tag: tag,
          haystack: [o.method, o.path, o.op.summary, o.op.operationId, tag, o.op.description, (o.op["x-roles"] || []).join(" ")].join(" ").toLowerCase()
        });
      });
      tagBlocks[tag] = { section: section, navGroup: navGroup };
      content.appendChild(section);
      nav.appendChild(navGroup);
    });
    content.appendChild(h("p", { id: "no-match", class: "status-message", hidden: true }, "No endpoint matches the filter."));
    var schemas = schemasView();
    if (schemas) {
      content.appendChild(schemas);
      nav.appendChild(h("a", { class: "nav-top", href: "#schemas" }, "Schemas"));
    }

    document.getElementById("expand-all").addEventListener("click", function () { setAll(true); });
    document.getElementById("collapse-all").addEventListener("click", function () { setAll(false); });
    var filter = document.getElementById("filter");
    var q = new URLSearchParams(location.search).get("q");
    if (q) filter.value = q;
    filter.addEventListener("input", function () { applyFilter(filter.value, true); });
    document.addEventListener("keydown", function (e) {
      var typing = e.target && /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
      if (e.key === "/" && !typing) {
        e.preventDefault();
        filter.focus();
        filter.select();
      } else if (e.key === "Escape" && e.target === filter) {
        filter.value = "";
        applyFilter("", true);
      }
    });
    if (new URLSearchParams(location.search).get("expand") === "all") setAll(true);
    applyFilter(filter.value, false);
    window.addEventListener("hashchange", openHash);
    openHash();
  }

  function showPill(id, text) {
    var node = document.getElementById(id);
    if (!node) return;
    node.textContent = text;
    node.hidden = !text;
  }

  function setAll(open) {
    opBlocks.forEach(function (b) {
      if (!b.section.hidden) b.section.open = open;
    });
  }

  function applyFilter(text, remember) {
    var terms = String(text).toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    Object.keys(tagBlocks).forEach(function (tag) { tagBlocks[tag].count = 0; });
    opBlocks.forEach(function (b) {
      var ok = terms.every(function (t) { return b.haystack.indexOf(t) >= 0; });
      b.section.hidden = !ok;
      b.navItem.hidden = !ok;
      if (ok) {
        shown++;
        tagBlocks[b.tag].count++;
      }
    });
    Object.keys(tagBlocks).forEach(function (tag) {
      var t = tagBlocks[tag];
      t.section.hidden = t.count === 0;
      t.navGroup.hidden = t.count === 0;
    });
    var none = document.getElementById("no-match");
    if (none) none.hidden = shown !== 0;
    var count = document.getElementById("match-count");
    if (count) {
      count.textContent = terms.length ? shown + " of " + opBlocks.length + " endpoints match" : opBlocks.length + " endpoints";
    }
    if (remember && window.history && history.replaceState) {
      var url = new URL(location.href);
      if (terms.length) url.searchParams.set("q", text);
      else url.searchParams.delete("q");
      history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
  }

  function openHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    target.scrollIntoView({ block: "start" });
  }

  function showError(err) {
    var content = document.getElementById("content");
    clear(content);
    content.appendChild(h("div", { class: "error-box" },
      h("h2", { text: "The API description could not be loaded" }),
      h("p", null, "Fetching ", code(specURL()), " failed: ", String(err && err.message ? err.message : err), "."),
      h("p", null, "Check that the API is running, then reload the page.")));
  }

  function specURL() {
    var meta = document.querySelector('meta[name="openapi-url"]');
    return (meta && meta.getAttribute("content")) || "/api/v1/openapi.json";
  }

  function start() {
    fetch(specURL(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (res) {
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.json();
      })
      .then(render)
      .catch(showError);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
