import { AssistantBox } from '@/features/assistant/components/assistant-box';
import { AddToCartButton } from '@/features/cart/components/add-to-cart-button';
import { CatalogFilters } from '@/features/catalog/components/catalog-filters';
import { CatalogResults } from '@/features/catalog/components/catalog-results';
import { urlChangeFor, useCatalogSearch } from '@/features/catalog/hooks/use-catalog-search';
import { Recommendations } from '@/features/recommendations/components/recommendations';
import { useSession } from '@/lib/session';

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
