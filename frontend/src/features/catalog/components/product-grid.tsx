import type { ReactNode } from 'react';

import { EmptyState, ErrorMessage, Skeleton } from '@/components/ui/feedback';
import type { Product } from '@/lib/generated/api.schemas';

import { ProductCard } from './product-card';

interface ProductGridProps {
  products: Product[] | undefined;
  isPending: boolean;
  error: unknown;
  onRetry?: () => void;
  action?: (p: Product) => ReactNode;
  empty?: ReactNode;
}

/** ProductGrid lays out products responsively, with skeletons, an error and an empty state. */
export function ProductGrid({ products, isPending, error, onRetry, action, empty }: ProductGridProps) {
  if (isPending) {
    return (
      <div role="status" aria-label="Loading products" className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-40" />
        ))}
      </div>
    );
  }
  if (error) return <ErrorMessage error={error} onRetry={onRetry} />;
  if (!products?.length) return <>{empty ?? <EmptyState title="No products match these filters." />}</>;
  return (
    <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {products.map((p) => (
        <ProductCard key={p.id} product={p} action={action?.(p)} />
      ))}
    </ul>
  );
}
