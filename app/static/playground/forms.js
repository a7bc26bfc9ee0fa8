// A small form generator for the JSON Schemas this component serves: string, integer, number, boolean,
// enum (a select), arrays of strings or numbers, arrays of objects and nested objects. Anything else
// becomes a JSON text box. `Forms.build(schema, name)` returns {el, value()}; value() is undefined when
// the field was left empty, so empty fields are simply left out of the message.
(function () {
  "use strict";

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") el.textContent = attrs[k];
      else if (k === "class") el.className = attrs[k];
      else if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) el.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) el.appendChild(c); });
    return el;
  }

  var counter = 0;
  function uid(name) { counter += 1; return "f" + counter + "-" + String(name).replace(/[^A-Za-z0-9_-]/g, "_"); }

  function typeOf(schema) {
    var t = schema.type;
    if (Array.isArray(t)) {
      var real = t.filter(function (x) { return x !== "null"; });
      if (real.indexOf("string") >= 0 && real.length > 1) return "loose"; // e.g. ["number", "string"]
      t = real[0];
    }
    if (!t && schema.enum) return "string";
    if (!t && schema.properties) return "object";
    return t || "unknown";
  }

  function labelFor(schema, name) { return schema.title || name; }

  function describe(schema) {
    return schema.description ? h("p", { class: "hint", text: schema.description }) : null;
  }

  function wrap(schema, name, required, control, id) {
    var label = h("label", { for: id, text: labelFor(schema, name) });
    if (required) label.appendChild(h("span", { class: "req", text: " *" }));
    return h("div", { class: "field", "data-field": name }, [label, control, describe(schema)]);
  }

  function scalar(schema, name, required) {
    var id = uid(name), type = typeOf(schema), input;
    if (schema.enum) {
      input = h("select", { id: id, name: name });
      input.appendChild(h("option", { value: "", text: required ? "Select…" : "—" }));
      schema.enum.forEach(function (v) { input.appendChild(h("option", { value: JSON.stringify(v), text: String(v) })); });
      if (schema.default !== undefined) input.value = JSON.stringify(schema.default);
      return { el: wrap(schema, name, required, input, id), input: input,
        value: function () { return input.value === "" ? undefined : JSON.parse(input.value); } };
    }
    if (type === "boolean") {
      input = h("input", { id: id, name: name, type: "checkbox" });
      if (schema.default === true) input.checked = true;
      var label = h("label", { class: "check", for: id }, [input, document.createTextNode(" " + labelFor(schema, name))]);
      return { el: h("div", { class: "field", "data-field": name }, [label, describe(schema)]), input: input,
        value: function () { return input.checked ? true : (required ? false : undefined); } };
    }
    var numeric = type === "integer" || type === "number";
    input = h("input", { id: id, name: name, type: numeric ? "number" : "text",
      step: type === "integer" ? "1" : (numeric ? "any" : null),
      placeholder: schema.examples ? String(schema.examples[0]) : (schema.default !== undefined ? String(schema.default) : null) });
    return { el: wrap(schema, name, required, input, id), input: input,
      value: function () {
        var v = input.value.trim();
        if (v === "") return undefined;
        if (numeric) return Number(v);
        if (type === "loose" && /^-?\d+(\.\d+)?$/.test(v) && (schema.type || []).indexOf("number") >= 0) return Number(v);
        return v;
      } };
  }

  function object(schema, name, required, root) {
    var props = schema.properties || {};
    var req = Array.isArray(schema.required) ? schema.required : [];
    var children = Object.keys(props).sort(function (a, b) {
      return (props[b].order || 0) - (props[a].order || 0);
    }).map(function (key) {
      var p = props[key] || {};
      return { key: key, field: build(p, key, req.indexOf(key) >= 0 || p.required === true) };
    });
    var inner = children.map(function (c) { return c.field.el; });
    var el = root ? h("div", { class: "object root" }, inner)
      : h("fieldset", { class: "object", "data-field": name }, [h("legend", { text: labelFor(schema, name) }), describe(schema)].concat(inner));
    return { el: el, value: function () {
      var out = {}, any = false;
      children.forEach(function (c) { var v = c.field.value(); if (v !== undefined) { out[c.key] = v; any = true; } });
      return any || required || root ? out : undefined;
    } };
  }

  function array(schema, name, required) {
    var items = schema.items && typeof schema.items === "object" ? schema.items : {};
    var rows = [];
    var list = h("ol", { class: "items" });
    var add = h("button", { type: "button", class: "secondary small add", text: "+ Add " + (items.title || "item") });
    var el = h("fieldset", { class: "array", "data-field": name },
      [h("legend", { text: labelFor(schema, name) + (required ? " *" : "") }), describe(schema), list, add]);
    function addRow() {
      var field = build(items, (items.title || name) + " " + (rows.length + 1), false, false);
      var remove = h("button", { type: "button", class: "link remove", title: "Remove", text: "✕" });
      var li = h("li", {}, [field.el, remove]);
      var row = { field: field, li: li };
      remove.addEventListener("click", function () { rows.splice(rows.indexOf(row), 1); li.remove(); });
      rows.push(row);
      list.appendChild(li);
      var first = li.querySelector("input, select, textarea");
      return first;
    }
    add.addEventListener("click", function () { var f = addRow(); if (f) f.focus(); });
    if (required || (schema.minItems || 0) > 0) addRow();
    return { el: el, addRow: addRow, value: function () {
      var out = rows.map(function (r) { return r.field.value(); }).filter(function (v) { return v !== undefined; });
      return out.length || required ? out : undefined;
    } };
  }

  function raw(schema, name, required) {
    var id = uid(name);
    var area = h("textarea", { id: id, name: name, rows: "2", spellcheck: "false", placeholder: "JSON" });
    return { el: wrap(schema, name, required, area, id), value: function () {
      var v = area.value.trim();
      if (v === "") return undefined;
      try { return JSON.parse(v); } catch (e) { return v; }
    } };
  }

  function build(schema, name, required, root) {
    schema = schema || {};
    var type = typeOf(schema);
    if (type === "object") return object(schema, name, required, root);
    if (type === "array") return array(schema, name, required);
    if (["string", "integer", "number", "boolean", "loose"].indexOf(type) >= 0 || schema.enum) return scalar(schema, name, required);
    return raw(schema, name, required);
  }

  window.Forms = { build: function (schema) { return build(schema, "body", true, true); }, h: h, uid: uid };
})();
