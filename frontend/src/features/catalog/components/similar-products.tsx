import { useQuery } from '@tanstack/react-query';

import { similarQuery } from '../api/similar';
import { ProductCard } from './product-card';

/** SimilarProducts lists products like this one; it renders nothing until the API offers them. */
export function SimilarProducts({ productId }: { productId: string }) {
  const similar = useQuery(similarQuery(productId));
  if (!similar.data?.length) return null;
  return (
    <section aria-labelledby="similar-heading" className="mt-10">
      <h2 id="similar-heading" className="text-lg font-semibold">
        Similar products
      </h2>
      <ul className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {similar.data.map((p) => (
          <ProductCard key={p.id} product={p} note={p.reason} />
        ))}
      </ul>
    </section>
  );
}
