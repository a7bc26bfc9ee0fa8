// /docs: Swagger UI over /openapi.json, which sits behind STEP_API_TOKEN when the service sets one.
// The token is asked for only after a 401, kept in this tab's sessionStorage (shared with /playground)
// and sent as "Authorization: Bearer ..." with the document's request and every "Try it out".
(function () {
  "use strict";
  var KEY = "stepApiToken";
  var specUrl = new URL("openapi.json", document.baseURI).href;
  var bar = document.getElementById("token-bar");
  var input = document.getElementById("token");
  var error = document.getElementById("token-error");

  function token() { return sessionStorage.getItem(KEY) || ""; }
  function headers() { return token() ? { Authorization: "Bearer " + token() } : {}; }

  function start() {
    bar.classList.remove("shown");
    window.ui = SwaggerUIBundle({
      url: specUrl,
      dom_id: "#swagger-ui",
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
      layout: "BaseLayout",
      onComplete: function () {
        // the Authorize dialog shows the token in use (the interceptor below sends it either way)
        if (token()) window.ui.preauthorizeApiKey("bearer", token());
      },
      requestInterceptor: function (request) {
        if (token() && !request.headers.Authorization) request.headers.Authorization = "Bearer " + token();
        return request;
      },
    });
  }

  function probe() {
    fetch(specUrl, { headers: headers() }).then(function (response) {
      if (response.status === 401) {
        error.textContent = token() ? "That token was refused." : "";
        bar.classList.add("shown");
        input.focus();
      } else {
        start();
      }
    }, function () { start(); });
  }

  bar.addEventListener("submit", function (event) {
    event.preventDefault();
    sessionStorage.setItem(KEY, input.value.trim());
    probe();
  });
  probe();
})();
