// Starts Swagger UI on this service's own contract. A file of its own rather than an inline script,
// so the page's Content-Security-Policy can say `script-src 'self'` and nothing more.
/* global SwaggerUIBundle */
window.ui = SwaggerUIBundle({
  url: '/openapi.yaml',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // The default would show a badge fetched from validator.swagger.io, sending it this spec's URL.
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  tryItOutEnabled: false,
  persistAuthorization: false,
})
