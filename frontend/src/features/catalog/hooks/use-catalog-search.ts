/**
 * The catalogue's filters live in the URL (q, category, min, max, stock, sort, page, show), so a
 * search can be shared, bookmarked and navigated with Back. Prices in the URL are whole units.
 * With words to search for the results are ranked: sort and page do not apply, and `show` says
 * how many of the best matches to list.
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

import { ListProductsSort } from '@/lib/generated/api.schemas';

import { SEARCH_MAX, type CatalogSearch } from '../api/products';

/** PAGE_SIZE is how many products a catalogue page shows, and each "Show more" adds. */
export const PAGE_SIZE = 24;

function units(v: string | null): number | undefined {
  if (!v) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 100) : undefined;
}

function positiveInt(v: string | null): number | undefined {
  const n = Number(v);
  return v && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** CatalogUrlChange is a change to the URL's filters; undefined or '' removes one. */
export type CatalogUrlChange = Partial<Record<'q' | 'category' | 'min' | 'max' | 'stock' | 'sort' | 'page' | 'show', string | undefined>>;

/** CatalogFilterValues are the filters a search and the assistant have in common; null sets none. */
export interface CatalogFilterValues {
  q?: string | null;
  category?: string | null;
  min_price_cents?: number | null;
  max_price_cents?: number | null;
  in_stock?: boolean | null;
}

const wholeUnits = (cents: number | null | undefined) => (cents == null ? undefined : String(cents / 100));

/** urlChangeFor puts exactly these filters in the URL, replacing the search text and filters there. */
export function urlChangeFor(f: CatalogFilterValues): CatalogUrlChange {
  return {
    q: f.q ?? undefined,
    category: f.category ?? undefined,
    min: wholeUnits(f.min_price_cents),
    max: wholeUnits(f.max_price_cents),
    stock: f.in_stock ? '1' : undefined,
  };
}

/**
 * catalogSearchFrom reads what the catalogue asks for from its URL's query: a ranked search
 * when there are words, else a sorted page of the list.
 */
export function catalogSearchFrom(params: URLSearchParams): CatalogSearch {
  const filters = {
    category: params.get('category') || undefined,
    min_price_cents: units(params.get('min')),
    max_price_cents: units(params.get('max')),
    in_stock: params.get('stock') === '1' ? true : undefined,
  };
  const q = params.get('q')?.trim();
  if (q) return { q, ...filters, page_size: Math.min(positiveInt(params.get('show')) ?? PAGE_SIZE, SEARCH_MAX) };
  const sort = params.get('sort');
  return {
    ...filters,
    sort: sort && sort in ListProductsSort ? (sort as ListProductsSort) : undefined,
    page: positiveInt(params.get('page')) ?? 1,
    page_size: PAGE_SIZE,
  };
}

/**
 * useCatalogSearch reads the filters from the URL and returns a setter. A change to anything but
 * the page starts again from page 1, and to anything but `show` from the first matches.
 */
export function useCatalogSearch(): [CatalogSearch, URLSearchParams, (c: CatalogUrlChange) => void] {
  const [params, setParams] = useSearchParams();
  const search = useMemo(() => catalogSearchFrom(params), [params]);

  const update = useCallback(
    (c: CatalogUrlChange) => {
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(c)) {
          if (v === undefined || v === '') next.delete(k);
          else next.set(k, v);
        }
        if (!('page' in c)) next.delete('page');
        if (!('show' in c)) next.delete('show');
        return next;
      });
    },
    [setParams],
  );
  return [search, params, update];
}
