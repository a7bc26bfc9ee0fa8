// The form-rendering harness: bundled with esbuild at test time (tests/browser/form_harness.py), never committed
// as a bundle. `window.harness.render(schema, renderer)` draws one JSON Schema with JSON Forms (vanilla
// renderers) or react-jsonschema-form into a fresh container and reports, for every ROOT property, the
// control it found, plus the renderer's "unsupported field" boxes and any error it threw.
import React from "react";
import { createRoot } from "react-dom/client";
import { flushSync } from "react-dom";
import { JsonForms } from "@jsonforms/react";
import { vanillaCells, vanillaRenderers } from "@jsonforms/vanilla-renderers";
import Form from "@rjsf/core";
import validator from "@rjsf/validator-ajv8";

class Boundary extends React.Component {
  constructor(props) {
    super(props);
    this.state = { error: null };
  }
  static getDerivedStateFromError(error) {
    return { error };
  }
  componentDidCatch(error) {
    this.props.onError(error);
  }
  render() {
    return this.state.error ? <div className="harness-crash">{String(this.state.error)}</div> : this.props.children;
  }
}

const clean = (text) => (text || "").replace(/\s+/g, " ").replace(/\s*\*\s*$/, "").trim();
// JSON Forms labels a property without a title by its name in start case: "amazonOrderIds" -> "Amazon Order Ids".
const startCase = (name) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .replace(/\b\w/g, (c) => c.toUpperCase())
    .trim();

function controlKind(el) {
  if (!el) return null;
  const tag = el.tagName.toLowerCase();
  if (tag === "select") return "select";
  if (tag === "textarea") return "textarea";
  if (tag === "input") return el.type === "checkbox" ? "checkbox" : "input";
  if (el.querySelector("table, .array-item-list, .array-list, [class*='array']")) return "array";
  if (el.querySelector("button") && /array/.test(el.className || "")) return "array";
  const inner = el.querySelector("input, select, textarea");
  if (tag === "fieldset" || tag === "div") return inner ? "group" : (el.querySelector("button") ? "array" : "group");
  return tag;
}

function rootProperties(schema) {
  return schema && typeof schema === "object" && schema.properties && typeof schema.properties === "object"
    ? Object.keys(schema.properties)
    : [];
}

function problems(container) {
  const texts = (sel) => [...container.querySelectorAll(sel)].map((el) => clean(el.textContent).slice(0, 300));
  return {
    unsupported: texts(".unsupported-field").concat(
      [...container.querySelectorAll("div")]
        .filter((d) => /^No applicable (renderer|cell) found/.test(clean(d.textContent)) && !d.querySelector("div"))
        .map((d) => clean(d.textContent))
    ),
    crashes: texts(".harness-crash"),
  };
}

function inspectRjsf(container, schema) {
  const props = {};
  for (const name of rootProperties(schema)) {
    const el = container.querySelector(`[id="root_${CSS.escape(name)}"]`);
    const boxed = el && el.closest(".unsupported-field");
    let label = null;
    if (el) {
      const lab = container.querySelector(`label[for="root_${CSS.escape(name)}"]`);
      const title = container.querySelector(`[id="root_${CSS.escape(name)}__title"]`);
      const legend = el.querySelector("legend, label");
      label = clean((lab || title || legend || {}).textContent) || null;
    }
    props[name] = { found: Boolean(el) && !boxed, kind: controlKind(el), label };
  }
  return props;
}

function inspectJsonForms(container, schema) {
  const layout = container.querySelector(".vertical-layout");
  const items = layout ? [...layout.children] : [];
  const labelled = items.map((item) => {
    const first = item.querySelector("label, legend");
    const control = item.querySelector(".control, .array-table-layout, .array-control-layout, fieldset, .group-layout") || item;
    return { label: clean(first && first.textContent), control };
  });
  const props = {};
  for (const name of rootProperties(schema)) {
    const p = schema.properties[name] || {};
    const wanted = new Set([name, startCase(name), clean(p.title)].filter(Boolean));
    const hit = labelled.find((x) => wanted.has(x.label));
    const kind = hit ? controlKind(hit.control.matches("input, select, textarea") ? hit.control
      : hit.control.querySelector("table, button") ? hit.control : hit.control.querySelector("input, select, textarea") || hit.control) : null;
    props[name] = { found: Boolean(hit) && !hit.control.closest(".harness-crash"), kind, label: hit ? hit.label : null };
  }
  return props;
}

const roots = [];

function mount(element) {
  const container = document.createElement("section");
  container.className = "harness-form";
  document.getElementById("forms").appendChild(container);
  const root = createRoot(container);
  roots.push(root);
  flushSync(() => root.render(element));
  return { container, root };
}

async function render(schema, renderer) {
  const errors = [];
  const onError = (error) => errors.push(String((error && error.message) || error));
  const previous = window.onerror;
  window.onerror = (message) => { errors.push(String(message)); };
  let mounted;
  try {
    if (renderer === "jsonforms") {
      mounted = mount(
        <Boundary onError={onError}>
          <JsonForms schema={schema} data={{}} renderers={vanillaRenderers} cells={vanillaCells} onChange={() => {}} />
        </Boundary>
      );
    } else if (renderer === "rjsf") {
      mounted = mount(
        <Boundary onError={onError}>
          <Form schema={schema} validator={validator} formData={{}} />
        </Boundary>
      );
    } else {
      throw new Error(`unknown renderer ${renderer}`);
    }
  } catch (error) {
    onError(error);
  }
  await new Promise((resolve) => setTimeout(resolve, 0)); // effects and late renders settle
  window.onerror = previous;
  const container = mounted ? mounted.container : document.createElement("section");
  const properties = renderer === "rjsf" ? inspectRjsf(container, schema) : inspectJsonForms(container, schema);
  const { unsupported, crashes } = problems(container);
  return {
    renderer,
    properties,
    missing: Object.keys(properties).filter((name) => !properties[name].found),
    unsupported,
    errors: errors.concat(crashes),
    controls: container.querySelectorAll("input, select, textarea").length,
  };
}

function clear() {
  roots.splice(0).forEach((root) => root.unmount());
  document.getElementById("forms").replaceChildren();
}

window.harness = { render, clear, ready: true };
