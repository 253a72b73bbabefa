import { useQuery } from '@tanstack/react-query';

import { Pagination } from '@/components/ui/pagination';
import { AssistantBox } from '@/features/assistant/components/assistant-box';
import { AddToCartButton } from '@/features/cart/components/add-to-cart-button';
import { catalogQuery } from '@/features/catalog/api/products';
import { CatalogFilters } from '@/features/catalog/components/catalog-filters';
import { ProductGrid } from '@/features/catalog/components/product-grid';
import { useCatalogSearch } from '@/features/catalog/hooks/use-catalog-search';
import { Recommendations } from '@/features/recommendations/components/recommendations';
import { useSession } from '@/lib/session';

/** CatalogueRoute is the home page: recommendations, the assistant, search, filters and results. */
export function CatalogueRoute() {
  const [search, params, update] = useCatalogSearch();
  const products = useQuery(catalogQuery(search));
  const session = useSession();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Catalogue</h1>
      {session.user && <Recommendations userId={session.user.id} action={(p) => <AddToCartButton product={p} className="mt-2" />} />}
      {session.user && <AssistantBox />}
      <CatalogFilters params={params} onChange={update} />
      <div aria-live="polite" className="text-sm text-slate-700">
        {products.data && `${products.data.total} ${products.data.total === 1 ? 'product' : 'products'}`}
      </div>
      <ProductGrid
        products={products.data?.items}
        isPending={products.isPending}
        error={products.error}
        onRetry={() => void products.refetch()}
        action={(p) => <AddToCartButton product={p} />}
      />
      {products.data && (
        <Pagination page={search.page ?? 1} pageSize={products.data.page_size} total={products.data.total} onPage={(p) => update({ page: String(p) })} />
      )}
    </div>
  );
}
