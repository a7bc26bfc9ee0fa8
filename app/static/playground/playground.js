// The playground: pick a step of GET /component, fill its settings (component.json's fields) and its
// message (the served `in` metadata), run it with "Accept: application/x-ndjson" and watch the events
// arrive one line at a time. The snapshot each run returns is carried into the next run of that step.
// Plain JavaScript, no library. With STEP_API_TOKEN set on the service the page asks for the token and
// keeps it in this tab's sessionStorage only.
(function () {
  "use strict";
  var h = Forms.h;
  var $ = function (id) { return document.getElementById(id); };
  var TOKEN_KEY = "stepApiToken";
  var DEMO = {
    sellerId: "A1SANDBOXSELLER", accessKeyId: "AKIASANDBOXDEMO", secretAccessKey: "sandbox-secret-key",
    mwsAuthToken: "amzn.mws.sandbox-demo", marketplaceId: "ATVPDKIKX0DER",
  };
  var MAX_ROWS = 1000; // the page keeps the latest lines of the log

  var state = {
    component: null, step: null, credentials: {}, settings: {}, body: null, bodyView: "form",
    snapshots: {}, running: null, metaRequest: 0,
  };

  // ---- HTTP -------------------------------------------------------------------------------------
  function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }

  function api(path, options) {
    options = options || {};
    var headers = Object.assign({ "Content-Type": "application/json" }, options.headers || {});
    if (token()) headers.Authorization = "Bearer " + token();
    return fetch(path, Object.assign({}, options, { headers: headers })).then(function (response) {
      if (response.status === 401) { askForToken(true); throw new Error("the service wants its bearer token"); }
      return response;
    });
  }

  function json(path, body) {
    return api(path, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error(problemText(data) || ("HTTP " + r.status));
        return data;
      });
    });
  }

  function problemText(data) {
    if (!data || !Array.isArray(data.detail)) return "";
    return data.detail.map(function (d) { return (d.path ? d.path + ": " : "") + d.message; }).join("; ");
  }

  function askForToken(refused) {
    $("token-form").classList.remove("hidden");
    $("token-hint").textContent = refused && token()
      ? "That token was refused; enter the service's STEP_API_TOKEN."
      : "This service requires a token for every step route.";
  }

  // ---- component.json fields (credentials and step settings) --------------------------------------
  function plainNote(note) {
    return note ? new DOMParser().parseFromString(String(note), "text/html").body.textContent : "";
  }

  function fieldControl(name, def, stepKey, onChange) {
    def = def || {};
    var id = Forms.uid(name), view = def.viewClass || "TextFieldView", input;
    var label = h("label", { for: id, text: def.label || name });
    if (def.required) label.appendChild(h("span", { class: "req", text: " *" }));
    var control = { name: name };
    if (view === "SelectView" || view === "MultiSelectView") {
      var multi = view === "MultiSelectView";
      input = h("select", { id: id, name: name, multiple: multi ? "multiple" : null, size: multi ? "4" : null });
      if (!multi) input.appendChild(h("option", { value: "", text: def.prompt || "—" }));
      var fill = function (model) {
        var keep = control.get();
        Object.keys(model || {}).forEach(function (value) {
          if (!input.querySelector('option[value="' + CSS.escape(value) + '"]')) {
            input.appendChild(h("option", { value: value, text: model[value] }));
          }
        });
        if (keep !== undefined) control.set(keep);
      };
      control.load = function () {
        if (typeof def.model === "object") return Promise.resolve(fill(def.model));
        var ask = { field: name, cfg: cfg() };
        if (stepKey) ask.step = stepKey;
        return json("select-model", ask).then(function (r) { fill(r.model); }, function () {});
      };
      control.get = function () {
        if (multi) {
          var chosen = Array.prototype.filter.call(input.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
          return chosen.length ? chosen : undefined;
        }
        return input.value === "" ? undefined : input.value;
      };
      control.set = function (v) {
        var values = Array.isArray(v) ? v : [v];
        values.forEach(function (value) {
          if (!input.querySelector('option[value="' + CSS.escape(value) + '"]')) input.appendChild(h("option", { value: value, text: value }));
        });
        Array.prototype.forEach.call(input.options, function (o) { o.selected = values.indexOf(o.value) >= 0; });
      };
    } else if (view === "CheckBoxView") {
      input = h("input", { id: id, name: name, type: "checkbox" });
      label = h("label", { class: "check", for: id }, [input, document.createTextNode(" " + (def.label || name))]);
      control.get = function () { return input.checked ? true : undefined; };
      control.set = function (v) { input.checked = Boolean(v); };
    } else {
      input = view === "TextAreaView" ? h("textarea", { id: id, name: name, rows: "3" })
        : h("input", { id: id, name: name, type: view === "PasswordFieldView" ? "password" : "text", placeholder: def.placeholder || null });
      control.get = function () { var v = input.value.trim(); return v === "" ? undefined : v; };
      control.set = function (v) { input.value = v === undefined ? "" : v; };
    }
    input.addEventListener("change", function () { if (onChange) onChange(name); });
    var note = plainNote(def.note);
    control.el = h("div", { class: "field", "data-field": name }, view === "CheckBoxView"
      ? [label, note ? h("p", { class: "hint", text: note }) : null]
      : [label, input, note ? h("p", { class: "hint", text: note }) : null]);
    return control;
  }

  function cfg() {
    var out = {};
    [state.credentials, state.settings].forEach(function (controls) {
      Object.keys(controls).forEach(function (name) {
        var v = controls[name].get();
        if (v !== undefined) out[name] = v;
      });
    });
    return out;
  }

  function renderCredentials() {
    var fields = (state.component.credentials || {}).fields || {};
    var box = $("credential-fields");
    box.replaceChildren();
    state.credentials = {};
    Object.keys(fields).forEach(function (name) {
      var control = fieldControl(name, fields[name], null, null);
      state.credentials[name] = control;
      box.appendChild(control.el);
    });
  }

  function loadCredentialChoices() {
    Object.keys(state.credentials).forEach(function (name) {
      if (state.credentials[name].load) state.credentials[name].load();
    });
  }

  // ---- steps ------------------------------------------------------------------------------------
  function stepId(step) { return step.kind + ":" + step.key; }

  function renderStepList() {
    var select = $("step");
    select.replaceChildren();
    [["trigger", "Triggers"], ["action", "Actions"]].forEach(function (pair) {
      var defs = state.component[pair[0] + "s"] || {};
      var group = h("optgroup", { label: pair[1] });
      Object.keys(defs).forEach(function (key) {
        group.appendChild(h("option", { value: pair[0] + ":" + key, text: (defs[key].title || key) + " (" + key + ")" }));
      });
      if (group.children.length) select.appendChild(group);
    });
    var wanted = new URLSearchParams(location.search).get("step");
    if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) select.value = wanted;
    selectStep(select.value);
  }

  function selectStep(value) {
    var kind = value.split(":")[0], key = value.slice(kind.length + 1);
    var def = (state.component[kind + "s"] || {})[key] || {};
    state.step = { kind: kind, key: key, def: def };
    $("step-description").textContent = def.description || "";
    var box = $("config-fields");
    box.replaceChildren();
    state.settings = {};
    var fields = def.fields || {};
    Object.keys(fields).forEach(function (name) {
      var control = fieldControl(name, fields[name], key, function () { if (def.dynamicMetadata) loadMetadata(); });
      state.settings[name] = control;
      box.appendChild(control.el);
      if (control.load) control.load();
    });
    $("config").classList.toggle("hidden", Object.keys(fields).length === 0);
    $("message").classList.toggle("hidden", kind !== "action");
    $("snapshot").value = JSON.stringify(state.snapshots[stepId(state.step)] || {}, null, 1);
    if (kind === "action") loadMetadata();
  }

  function loadMetadata() {
    var step = state.step, ticket = ++state.metaRequest;
    var path = step.kind + "s/" + encodeURIComponent(step.key) + "/metadata";
    var request = step.def.dynamicMetadata ? json(path, { cfg: cfg() }) : json(path);
    $("message").removeAttribute("data-ready");
    $("body-note").textContent = "Loading the step's metadata…";
    request.then(function (meta) {
      if (ticket !== state.metaRequest) return;
      renderBody(meta["in"] || {});
      $("message").setAttribute("data-ready", stepId(step));
    }, function (err) {
      if (ticket === state.metaRequest) $("body-note").textContent = String(err.message || err);
    });
  }

  function renderBody(schema) {
    var box = $("body-form");
    box.replaceChildren();
    state.body = null;
    var hasFields = schema.properties && Object.keys(schema.properties).length;
    $("body-note").textContent = hasFields ? "" : "This step's served form has no root fields: write the message body as JSON.";
    if (!hasFields) {
      showBodyView("json");
      if (!$("body-json").value.trim()) $("body-json").value = "{}";
      return;
    }
    state.body = Forms.build(schema);
    box.appendChild(state.body.el);
    showBodyView("form");
  }

  function showBodyView(view) {
    if (view === "json" && state.bodyView === "form" && state.body) {
      $("body-json").value = JSON.stringify(state.body.value(), null, 2);
    }
    state.bodyView = view;
    $("body-form").classList.toggle("hidden", view !== "form");
    $("body-json").classList.toggle("hidden", view !== "json");
    Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (tab) {
      tab.classList.toggle("active", tab.getAttribute("data-view") === view);
    });
  }

  function messageBody() {
    if (state.bodyView === "form" && state.body) return state.body.value();
    var text = $("body-json").value.trim();
    return text ? JSON.parse(text) : {};
  }

  // ---- running a step and reading its stream --------------------------------------------------------
  function setStatus(text, kind) {
    var el = $("status");
    el.textContent = text;
    el.className = "status " + (kind || "");
  }

  function addEvent(event) {
    var list = $("events");
    var summary = event.type === "end" ? "outcome " + event.outcome
      : event.type === "rebound" ? (event.reason || "") + " (retry after " + event.retryAfterMs + " ms)"
      : event.type === "error" ? (event.error || {}).code + ": " + (event.error || {}).message
      : event.type === "request" ? event.text
      : briefly(event.body);
    var detail = event.type === "request" ? null : h("pre", { text: JSON.stringify(event, null, 2) });
    var row = h("li", { class: "event event-" + event.type }, [
      h("span", { class: "badge", text: event.type }),
      detail ? h("details", {}, [h("summary", { text: summary }), detail]) : h("span", { class: "summary", text: summary }),
    ]);
    var atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.appendChild(row);
    while (list.children.length > MAX_ROWS) list.firstElementChild.remove(); // keep the latest lines
    if (atEnd) list.scrollTop = list.scrollHeight; // follow the stream unless the reader scrolled up
  }

  function briefly(body) {
    if (!body || typeof body !== "object") return String(body);
    var keys = Object.keys(body);
    var parts = keys.slice(0, 4).map(function (k) {
      var v = body[k];
      var shown = Array.isArray(v) ? "[" + v.length + "]" : (v && typeof v === "object") ? "{…}" : JSON.stringify(v);
      return k + ": " + shown;
    });
    return "{ " + parts.join(", ") + (keys.length > 4 ? ", …" : "") + " }";
  }

  function run(event) {
    event.preventDefault();
    if (state.running) return;
    var step = state.step, request;
    try {
      request = { cfg: cfg(), snapshot: JSON.parse($("snapshot").value.trim() || "{}"),
                  mode: document.querySelector('input[name="mode"]:checked').value };
      if (step.kind === "action") request.msg = { body: messageBody() };
    } catch (err) {
      setStatus("the JSON is not valid: " + err.message, "bad");
      return;
    }
    var controller = new AbortController();
    state.running = controller;
    $("run").disabled = true;
    $("stop").disabled = false;
    setStatus("running…", "busy");
    var carried = Object.keys(request.snapshot).length ? " with snapshot " + JSON.stringify(request.snapshot) : "";
    addEvent({ type: "request", text: "POST " + step.kind + "s/" + step.key + "/execute (" + request.mode + ")" + carried });
    api(step.kind + "s/" + encodeURIComponent(step.key) + "/execute", {
      method: "POST", body: JSON.stringify(request), signal: controller.signal,
      headers: { Accept: "application/x-ndjson" },
    }).then(function (response) {
      if (!response.ok) {
        return response.json().then(function (data) {
          addEvent({ type: "error", error: { code: "HTTP " + response.status, message: problemText(data) || JSON.stringify(data) } });
          setStatus("refused (" + response.status + ")", "bad");
        });
      }
      return readLines(response.body, function (line) {
        var ev = JSON.parse(line);
        addEvent(ev);
        if (ev.type === "end") finish(step, ev);
      });
    }).catch(function (err) {
      setStatus(err.name === "AbortError" ? "stopped" : String(err.message || err), "bad");
    }).finally(function () {
      state.running = null;
      $("run").disabled = false;
      $("stop").disabled = true;
    });
  }

  function readLines(stream, onLine) {
    var reader = stream.getReader(), decoder = new TextDecoder(), buffer = "";
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          buffer += decoder.decode();
          if (buffer.trim()) onLine(buffer);
          return;
        }
        buffer += decoder.decode(chunk.value, { stream: true });
        var lines = buffer.split("\n");
        buffer = lines.pop();
        lines.forEach(function (line) { if (line.trim()) onLine(line); });
        return pump();
      });
    }
    return pump();
  }

  function finish(step, end) {
    state.snapshots[stepId(step)] = end.snapshot || {};
    if (state.step && stepId(state.step) === stepId(step)) {
      $("snapshot").value = JSON.stringify(end.snapshot || {}, null, 1);
    }
    var list = $("events");
    setStatus(end.outcome + " · snapshot carried into the next run", end.outcome === "ok" ? "good" : "bad");
    list.setAttribute("data-outcome", end.outcome);
  }

  // ---- start ---------------------------------------------------------------------------------------
  function start() {
    json("component").then(function (component) {
      state.component = component;
      $("token-form").classList.add("hidden");
      renderCredentials();
      renderStepList();
      loadCredentialChoices();
    }, function (err) {
      setStatus(String(err.message || err), "bad");
    });
  }

  $("token-form").addEventListener("submit", function (event) {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    start();
  });
  $("step").addEventListener("change", function () { selectStep(this.value); });
  $("demo").addEventListener("click", function () {
    Object.keys(DEMO).forEach(function (name) { if (state.credentials[name]) state.credentials[name].set(DEMO[name]); });
    if (state.step && state.step.def.dynamicMetadata) loadMetadata();
  });
  Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (tab) {
    tab.addEventListener("click", function () { showBodyView(tab.getAttribute("data-view")); });
  });
  $("run-form").addEventListener("submit", run);
  $("stop").addEventListener("click", function () { if (state.running) state.running.abort(); });
  $("clear").addEventListener("click", function () { $("events").replaceChildren(); setStatus("idle"); });
  start();
})();
