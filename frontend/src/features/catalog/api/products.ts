/**
 * Catalogue queries: the key factory, the one fetcher the catalogue page uses (ranked search when
 * there are words to search for, the sorted and paged list otherwise), and the product page's
 * query. Admin mutations invalidate by the `products` prefix, search results included.
 */
import { queryOptions } from '@tanstack/react-query';

import { getProduct, listProducts, searchProducts } from '@/lib/generated/api';
import type { ListProductsSort, ProductPage, SearchProducts200ItemsItem } from '@/lib/generated/api.schemas';

/**
 * CatalogSearch is what the catalogue page asks for; it mirrors the URL. With `q` it is a ranked
 * search, where `page_size` is how many of the best matches to show and there is no sort or
 * page; without `q` it is a page of the list in `sort` order.
 */
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

/** SearchHit is a product found by search, with its score and why it was found. */
export type SearchHit = SearchProducts200ItemsItem;

/**
 * CatalogAnswer is one answer of the catalogue: a page of the list (`browse`), or the best
 * matches of a search for q, most relevant first, at most as many as were requested (`search`).
 */
export type CatalogAnswer =
  | { kind: 'browse'; page: ProductPage }
  | { kind: 'search'; q: string; hits: SearchHit[]; requested: number };

/** productKeys builds every catalogue query key, so invalidation can go by prefix. */
export const productKeys = {
  all: ['products'] as const,
  lists: () => [...productKeys.all, 'list'] as const,
  list: (s: CatalogSearch) => [...productKeys.lists(), s] as const,
  detail: (id: string) => [...productKeys.all, 'detail', id] as const,
  similar: (id: string) => [...productKeys.all, 'similar', id] as const,
};

/** SEARCH_MAX is the most matches a search returns (the API's page_size limit). */
export const SEARCH_MAX = 100;

/**
 * searchCatalog is the catalogue's only fetcher: GET /search when the search has words, with
 * the filters and page size; GET /products with the filters, sort and page otherwise.
 */
export async function searchCatalog(s: CatalogSearch, signal?: AbortSignal): Promise<CatalogAnswer> {
  const { q, sort, page, ...filters } = s;
  if (q) {
    const requested = Math.min(filters.page_size ?? SEARCH_MAX, SEARCH_MAX);
    const res = await searchProducts({ ...filters, q, page_size: requested }, undefined, signal);
    return { kind: 'search', q, hits: res.items, requested };
  }
  return { kind: 'browse', page: await listProducts({ ...filters, sort, page }, undefined, signal) };
}

/** catalogQuery is the catalogue page's query; the previous results stay visible while the next load. */
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
