// /docs: Swagger UI over this server's OpenAPI document (kept out of the HTML: the CSP allows no inline script).
'use strict';
window.addEventListener('DOMContentLoaded', () => {
  SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, layout: 'BaseLayout' });
});
