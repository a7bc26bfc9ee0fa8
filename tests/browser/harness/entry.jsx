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

// What a property's control is: an input, checkbox, select or textarea; an array (a list or table with
// an add button); or a group of fields (a nested object).
function controlKind(el) {
  if (!el) return null;
  const tag = el.tagName.toLowerCase();
  if (tag === "select") return "select";
  if (tag === "textarea") return "textarea";
  if (tag === "input") return el.type === "checkbox" ? "checkbox" : "input";
  if (/array/.test(el.className) || el.querySelector("table, [class*='array']")) return "array";
  const inner = el.querySelector("input, select, textarea");
  return inner && !el.querySelector("fieldset, legend") ? controlKind(inner) : "group";
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
      const inner = el.querySelector("legend, label") || el.closest("label");
      label = clean((lab || title || inner || {}).textContent) || null;
    }
    props[name] = { found: Boolean(el) && !boxed, kind: controlKind(el), label };
  }
  return props;
}

// JSON Forms (vanilla): the default layout has one item per root property; its control carries the class
// `root_properties_<name>` (from the scope #/properties/<name>) and a label: the title, or the name in
// start case (an array of objects with nesting is labelled by its items' title).
function inspectJsonForms(container, schema) {
  const layout = container.querySelector(".vertical-layout");
  const items = layout ? [...layout.children] : [];
  const props = {};
  for (const name of rootProperties(schema)) {
    const p = schema.properties[name] || {};
    const cls = `root_properties_${name}`;
    const item = items.find((it) => it.firstElementChild && it.firstElementChild.classList.contains(cls));
    const first = item && item.querySelector("label, legend");
    const label = clean(first && first.textContent) || null;
    const wanted = new Set([name, startCase(name), clean(p.title), clean(p.items && p.items.title)].filter(Boolean));
    props[name] = { found: Boolean(item) && wanted.has(label), kind: item ? controlKind(item) : null, label };
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
  // JSON Forms' vanilla controls render nothing for a schema no cell fits (a nested object: the vanilla
  // set has no object renderer), saying so only in a console warning: those are caught here.
  const silent = [];
  const warn = console.warn;
  console.warn = (...args) => {
    if (/^No applicable/.test(String(args[0]))) silent.push(`${args[0]} ${(args[1] && args[1].scope) || ""}`.trim());
    warn.apply(console, args);
  };
  let mounted;
  try {
    if (renderer === "jsonforms" || renderer === "jsonforms-validating") {
      // "jsonforms" draws without validating (validationMode NoValidation), as a builder does when the
      // service validates: JSON Forms' Ajv refuses elastic.io's draft-3 style `"required": true` on a
      // property ("required must be array") and draws nothing at all; "jsonforms-validating" shows that.
      const mode = renderer === "jsonforms" ? "NoValidation" : "ValidateAndShow";
      mounted = mount(
        <Boundary onError={onError}>
          <JsonForms schema={schema} data={{}} renderers={vanillaRenderers} cells={vanillaCells}
            validationMode={mode} onChange={() => {}} />
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
  console.warn = warn;
  const container = mounted ? mounted.container : document.createElement("section");
  const properties = renderer === "rjsf" ? inspectRjsf(container, schema) : inspectJsonForms(container, schema);
  const { unsupported, crashes } = problems(container);
  return {
    renderer,
    properties,
    missing: Object.keys(properties).filter((name) => !properties[name].found),
    unsupported,
    silent,
    errors: errors.concat(crashes),
    controls: container.querySelectorAll("input, select, textarea").length,
  };
}

function clear() {
  roots.splice(0).forEach((root) => root.unmount());
  document.getElementById("forms").replaceChildren();
}

window.harness = { render, clear, ready: true };
