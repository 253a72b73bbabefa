/**
 * The app's QueryClient factory. Client errors (4xx) are not retried: they will not change by
 * asking again; network failures and 5xx are retried twice.
 */
import { QueryClient } from '@tanstack/react-query';

import { ApiError } from './api-error';

/** makeQueryClient builds the QueryClient the app uses. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
