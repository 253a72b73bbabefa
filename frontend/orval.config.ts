// Generates the typed API client from the OpenAPI document the API serves. Run `make generate`
// (or `npm run generate`) after the document changes; `make test` fails when the output is stale.
// In axios mode each function hands an Axios request config ({ url, method, params, data,
// headers, signal }) to apiRequest, the app's one Axios instance (src/lib/api-client.ts).
import { defineConfig } from 'orval';

export default defineConfig({
  orders: {
    input: { target: '../internal/httpapi/apidocs/openapi.json' },
    output: {
      mode: 'split',
      target: 'src/lib/generated/api.ts',
      client: 'react-query',
      httpClient: 'axios',
      clean: true,
      override: {
        mutator: { path: 'src/lib/api-client.ts', name: 'apiRequest' },
        query: { signal: true },
      },
    },
  },
});
