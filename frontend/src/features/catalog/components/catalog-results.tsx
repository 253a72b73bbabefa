import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, type ReactNode } from 'react';

import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/feedback';
import { Pagination } from '@/components/ui/pagination';
import type { Product } from '@/lib/generated/api.schemas';

import { catalogQuery, SEARCH_MAX, type CatalogAnswer, type CatalogSearch } from '../api/products';
import { PAGE_SIZE, type CatalogUrlChange } from '../hooks/use-catalog-search';
import { ProductGrid } from './product-grid';

interface CatalogResultsProps {
  search: CatalogSearch;
  onChange: (c: CatalogUrlChange) => void;
  action?: (p: Product) => ReactNode;
}

function summary(a: CatalogAnswer): string {
  if (a.kind === 'browse') return `${a.page.total} ${a.page.total === 1 ? 'product' : 'products'}`;
  const n = a.hits.length;
  if (n === 0) return '';
  return n === a.requested ? `The ${n} best matches for “${a.q}”` : `${n} ${n === 1 ? 'match' : 'matches'} for “${a.q}”, best first`;
}

/**
 * CatalogResults shows what the catalogue's URL asks for: a page of products with pagination,
 * or the best matches of a search with why each was found and a way to see more.
 */
export function CatalogResults({ search, onChange, action }: CatalogResultsProps) {
  const results = useQuery(catalogQuery(search));
  // A page of cards is the largest render of the page: as a deferred value React renders it in
  // slices that keep the main thread answering, while the previous results stay on screen.
  const shown = useDeferredValue(results.data);
  const stale = results.isPlaceholderData || shown !== results.data;
  const loadingMore = results.isFetching && results.isPlaceholderData;
  const grid = {
    isPending: !shown && !results.isError,
    error: results.error,
    onRetry: () => void results.refetch(),
    action,
    empty: search.q ? (
      <EmptyState title={`Nothing matches “${search.q}” with these filters.`}>Try other words, or fewer filters.</EmptyState>
    ) : undefined,
  };

  return (
    <section aria-labelledby="results-heading" className="space-y-4">
      <h2 id="results-heading" className="sr-only">
        {search.q ? 'Search results' : 'Products'}
      </h2>
      <p aria-live="polite" className="min-h-5 text-sm text-slate-700">
        {shown && summary(shown)}
      </p>
      <div aria-busy={stale || undefined} className={stale ? 'opacity-60 transition-opacity' : undefined}>
        {shown?.kind === 'search' ? (
          <ProductGrid {...grid} products={shown.hits} note={(hit) => hit.reason} />
        ) : (
          <ProductGrid {...grid} products={shown?.page.items} />
        )}
      </div>
      {shown?.kind === 'browse' && (
        <Pagination page={search.page ?? 1} pageSize={shown.page.page_size} total={shown.page.total} onPage={(p) => onChange({ page: String(p) })} />
      )}
      {shown?.kind === 'search' && shown.hits.length === shown.requested && (
        <div className="flex flex-col items-center gap-2 pt-2">
          {shown.requested < SEARCH_MAX ? (
            <Button variant="secondary" pending={loadingMore} onClick={() => onChange({ show: String(Math.min(shown.requested + PAGE_SIZE, SEARCH_MAX)) })}>
              {loadingMore ? 'Loading more matches' : 'Show more'}
            </Button>
          ) : (
            <p className="text-sm text-slate-700">These are the {SEARCH_MAX} best matches. Add words or filters to narrow them.</p>
          )}
        </div>
      )}
    </section>
  );
}
