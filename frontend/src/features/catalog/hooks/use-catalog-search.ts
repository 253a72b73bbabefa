/**
 * The catalogue's filters live in the URL (q, category, min, max, stock, sort, page), so a
 * search can be shared, bookmarked and navigated with Back. Prices in the URL are whole units.
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

import { ListProductsSort } from '@/lib/generated/api.schemas';

import type { CatalogSearch } from '../api/products';

/** PAGE_SIZE is how many products a catalogue page shows. */
export const PAGE_SIZE = 24;

function units(v: string | null): number | undefined {
  if (!v) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 100) : undefined;
}

/** CatalogUrlChange is a change to the URL's filters; undefined or '' removes one. */
export type CatalogUrlChange = Partial<Record<'q' | 'category' | 'min' | 'max' | 'stock' | 'sort' | 'page', string | undefined>>;

/** useCatalogSearch reads the filters from the URL and returns a setter that resets the page. */
export function useCatalogSearch(): [CatalogSearch, URLSearchParams, (c: CatalogUrlChange) => void] {
  const [params, setParams] = useSearchParams();
  const search = useMemo<CatalogSearch>(() => {
    const sort = params.get('sort');
    const page = Number(params.get('page') ?? '1');
    return {
      q: params.get('q') || undefined,
      category: params.get('category') || undefined,
      min_price_cents: units(params.get('min')),
      max_price_cents: units(params.get('max')),
      in_stock: params.get('stock') === '1' ? true : undefined,
      sort: sort && sort in ListProductsSort ? (sort as ListProductsSort) : undefined,
      page: Number.isInteger(page) && page > 1 ? page : 1,
      page_size: PAGE_SIZE,
    };
  }, [params]);

  const update = useCallback(
    (c: CatalogUrlChange) => {
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(c)) {
          if (v === undefined || v === '') next.delete(k);
          else next.set(k, v);
        }
        if (!('page' in c)) next.delete('page');
        return next;
      });
    },
    [setParams],
  );
  return [search, params, update];
}
