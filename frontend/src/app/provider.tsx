import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';

import { makeQueryClient } from '@/lib/query-client';
import { restoreSession } from '@/lib/session';

/** AppProvider holds the QueryClient and restores a session from its cookie once on load. */
export function AppProvider({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? makeQueryClient());
  useEffect(() => {
    void restoreSession();
  }, []);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
