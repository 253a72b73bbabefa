// Starts Swagger UI on the page's #swagger-ui element with the document named by its
// data-openapi-url attribute. Kept in its own file so that the page needs no inline script.
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // Never send the document to validator.swagger.io, and never load a document named in the
    // page's query string.
    validatorUrl: null,
    queryConfigEnabled: false,
    deepLinking: true,
    filter: true,
    displayRequestDuration: true,
    defaultModelsExpandDepth: 0,
    docExpansion: "list",
    tryItOutEnabled: false,
    persistAuthorization: false,
  });
})();
