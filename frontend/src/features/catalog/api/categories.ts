/** The category list for filters and forms; it changes rarely, so it stays fresh for minutes. */
import { queryOptions } from '@tanstack/react-query';

import { listCategories } from '@/lib/generated/api';

/** categoriesQuery loads every category with its product count. */
export const categoriesQuery = () =>
  queryOptions({
    queryKey: ['categories'] as const,
    queryFn: ({ signal }) => listCategories(undefined, signal),
    staleTime: 5 * 60_000,
  });
