import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';

import { restoreSession } from '@/lib/session';

/**
 * AppProvider provides the QueryClient (the router's loaders start queries in the same one) and
 * restores a session from its cookie once on load.
 */
export function AppProvider({ children, queryClient }: { children: ReactNode; queryClient: QueryClient }) {
  useEffect(() => {
    void restoreSession();
  }, []);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
