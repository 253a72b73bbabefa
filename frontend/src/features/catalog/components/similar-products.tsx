import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import type { Product } from '@/lib/generated/api.schemas';

import { SIMILAR_SHOWN, similarQuery } from '../api/similar';
import { ProductGrid } from './product-grid';

/**
 * SimilarProducts lists products like this one, each with why it is similar. It renders nothing
 * when the API has no such endpoint.
 */
export function SimilarProducts({ productId, action }: { productId: string; action?: (p: Product) => ReactNode }) {
  const similar = useQuery(similarQuery(productId));
  if (similar.data === null) return null;
  return (
    <section aria-labelledby="similar-heading" className="mt-10 space-y-3">
      <h2 id="similar-heading" className="text-lg font-semibold">
        Similar products
      </h2>
      <ProductGrid
        products={similar.data}
        isPending={similar.isPending}
        error={similar.error}
        onRetry={() => void similar.refetch()}
        action={action}
        note={(p) => p.reason}
        placeholders={SIMILAR_SHOWN}
        empty={<p className="text-sm text-slate-700">No similar products yet.</p>}
      />
    </section>
  );
}
