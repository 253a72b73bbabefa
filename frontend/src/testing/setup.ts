// Test setup: jest-dom matchers, the MSW server answering at the HTTP layer, and a clean
// slate (no handlers, no session, no cart, no cookies) between tests.
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';

import { clearSession } from '@/lib/tokens';

import { server } from './server';

// Lazy routes and polling take a moment on a busy machine; wait rather than flake.
configure({ asyncUtilTimeout: 8000 });

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  clearSession();
  localStorage.clear();
  for (const c of document.cookie.split(';')) {
    const name = c.split('=')[0].trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  }
});
afterAll(() => server.close());
