import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';

import { makeQueryClient } from '@/lib/query-client';

import { AppProvider } from './provider';
import { createAppRouter } from './router';

/**
 * startApp renders the whole SPA (providers around the router) into container. Creating the
 * router starts the first page's queries; the first render is a transition, so React renders it
 * in slices that leave the main thread free between them instead of one long task.
 */
export function startApp(container: HTMLElement) {
  const queryClient = makeQueryClient();
  const router = createAppRouter(queryClient);
  startTransition(() => {
    createRoot(container).render(
      <StrictMode>
        <AppProvider queryClient={queryClient}>
          <RouterProvider router={router} />
        </AppProvider>
      </StrictMode>,
    );
  });
}
