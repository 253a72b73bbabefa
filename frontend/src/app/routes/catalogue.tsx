import type { QueryClient } from '@tanstack/react-query';
import type { LoaderFunctionArgs } from 'react-router';

import { AssistantBox } from '@/features/assistant/components/assistant-box';
import { AddToCartButton } from '@/features/cart/components/add-to-cart-button';
import { categoriesQuery } from '@/features/catalog/api/categories';
import { catalogQuery } from '@/features/catalog/api/products';
import { CatalogFilters } from '@/features/catalog/components/catalog-filters';
import { CatalogResults } from '@/features/catalog/components/catalog-results';
import { catalogSearchFrom, urlChangeFor, useCatalogSearch } from '@/features/catalog/hooks/use-catalog-search';
import { Recommendations } from '@/features/recommendations/components/recommendations';
import { useSession } from '@/lib/session';

/**
 * catalogueLoader starts loading the results and the categories as the navigation starts, before
 * the page renders; it does not wait for them (the page shows its own loading state).
 */
export function catalogueLoader(queryClient: QueryClient) {
  return ({ request }: LoaderFunctionArgs) => {
    void queryClient.prefetchQuery(catalogQuery(catalogSearchFrom(new URL(request.url).searchParams)));
    void queryClient.prefetchQuery(categoriesQuery());
    return null;
  };
}

/** CatalogueRoute is the home page: recommendations, the assistant, search, filters and results. */
export function CatalogueRoute() {
  const [search, params, update] = useCatalogSearch();
  const session = useSession();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Catalogue</h1>
      {session.user && <Recommendations userId={session.user.id} action={(p) => <AddToCartButton product={p} className="mt-2" />} />}
      {session.user && <AssistantBox onApply={(filters) => update(urlChangeFor(filters))} />}
      <CatalogFilters params={params} searching={Boolean(search.q)} onChange={update} />
      <CatalogResults search={search} onChange={update} action={(p) => <AddToCartButton product={p} />} />
    </div>
  );
}
