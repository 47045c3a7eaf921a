// Starts Swagger UI on /schema. A file of its own because the CSP allows no inline script.
// Loaded as a classic script after /schema-assets/swagger-ui-bundle.js.
(function startSchemaViewer() {
  "use strict";
  var container = document.getElementById("swagger-ui");
  if (!container || typeof window.SwaggerUIBundle !== "function") return;
  window.ui = window.SwaggerUIBundle({
    url: container.dataset.specUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
  });
}());
