import { RouterProvider } from 'react-router/dom';

import { AppProvider } from './provider';
import { createAppRouter } from './router';

const router = createAppRouter();

/** App is the whole SPA: providers around the router. */
export function App() {
  return (
    <AppProvider>
      <RouterProvider router={router} />
    </AppProvider>
  );
}
