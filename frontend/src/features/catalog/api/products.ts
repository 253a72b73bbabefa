/**
 * Catalogue queries: the key factory, the one search fetcher the catalogue page uses, and the
 * product page's query. Admin mutations invalidate by the `products` prefix.
 */
import { queryOptions } from '@tanstack/react-query';

import { getProduct, listProducts } from '@/lib/generated/api';
import type { ListProductsSort, ProductPage } from '@/lib/generated/api.schemas';

/** CatalogSearch is what the catalogue page asks for; it mirrors the URL. */
export interface CatalogSearch {
  q?: string;
  category?: string;
  min_price_cents?: number;
  max_price_cents?: number;
  in_stock?: boolean;
  sort?: ListProductsSort;
  page?: number;
  page_size?: number;
}

/** productKeys builds every catalogue query key, so invalidation can go by prefix. */
export const productKeys = {
  all: ['products'] as const,
  lists: () => [...productKeys.all, 'list'] as const,
  list: (s: CatalogSearch) => [...productKeys.lists(), s] as const,
  detail: (id: string) => [...productKeys.all, 'detail', id] as const,
  similar: (id: string) => [...productKeys.all, 'similar', id] as const,
};

/**
 * searchCatalog is the catalogue's only fetcher. Today it reads the product list with `q`;
 * when the ranked search endpoint ships, this is the one function to point at it.
 */
export function searchCatalog(s: CatalogSearch, signal?: AbortSignal): Promise<ProductPage> {
  return listProducts(s, undefined, signal);
}

/** catalogQuery is the catalogue page's query; the previous page stays visible while paging. */
export function catalogQuery(s: CatalogSearch) {
  return queryOptions({
    queryKey: productKeys.list(s),
    queryFn: ({ signal }) => searchCatalog(s, signal),
    placeholderData: (prev) => prev,
  });
}

/** productQuery loads one product for its page. */
export function productQuery(id: string) {
  return queryOptions({
    queryKey: productKeys.detail(id),
    queryFn: ({ signal }) => getProduct(id, undefined, signal),
  });
}
