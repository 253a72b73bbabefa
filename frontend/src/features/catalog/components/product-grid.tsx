import type { ReactNode } from 'react';

import { EmptyState, ErrorMessage, Skeleton } from '@/components/ui/feedback';
import type { Product } from '@/lib/generated/api.schemas';

import { ProductCard } from './product-card';

interface ProductGridProps<P extends Product> {
  products: P[] | undefined;
  isPending: boolean;
  error: unknown;
  onRetry?: () => void;
  action?: (p: P) => ReactNode;
  /** a short line under the name, such as why a search found the product. */
  note?: (p: P) => string | undefined;
  empty?: ReactNode;
  /** how many placeholder cards to show while loading. */
  placeholders?: number;
}

/** ProductGrid lays out products responsively, with skeletons, an error and an empty state. */
export function ProductGrid<P extends Product>({ products, isPending, error, onRetry, action, note, empty, placeholders = 8 }: ProductGridProps<P>) {
  if (isPending) {
    return (
      <div role="status" aria-label="Loading products" className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {Array.from({ length: placeholders }, (_, i) => (
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
        <ProductCard key={p.id} product={p} action={action?.(p)} note={note?.(p)} />
      ))}
    </ul>
  );
}
