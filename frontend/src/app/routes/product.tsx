import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';

import { ErrorMessage, Loading } from '@/components/ui/feedback';
import { AddToCartButton } from '@/features/cart/components/add-to-cart-button';
import { productQuery } from '@/features/catalog/api/products';
import { SimilarProducts } from '@/features/catalog/components/similar-products';
import { formatMoney } from '@/lib/format';

/** ProductRoute is a product's page, with similar products below when the API offers them. */
export function ProductRoute() {
  const { id = '' } = useParams();
  const product = useQuery(productQuery(id));
  return (
    <div>
      <Link to="/" className="text-sm text-blue-800 hover:underline">
        ← Back to the catalogue
      </Link>
      <div className="mt-4">
        {product.isPending && <Loading label="Loading the product" rows={2} />}
        {product.isError && <ErrorMessage error={product.error} onRetry={() => void product.refetch()} />}
        {product.data && (
          <article className="grid gap-6 rounded-lg border border-slate-200 bg-white p-6 md:grid-cols-3" aria-labelledby="product-heading">
            <div className="md:col-span-2">
              <p className="text-xs uppercase tracking-wide text-slate-600">{product.data.category}</p>
              <h1 id="product-heading" className="mt-1 text-2xl font-semibold">
                {product.data.name}
              </h1>
              <p className="mt-1 text-xs text-slate-600">SKU {product.data.sku}</p>
              <p className="mt-4 whitespace-pre-line text-slate-800">{product.data.description || 'No description.'}</p>
            </div>
            <div className="space-y-3">
              <p className="text-2xl font-semibold">{formatMoney(product.data.price_cents, product.data.currency)}</p>
              <p className={product.data.stock > 0 ? 'text-green-800' : 'text-red-700'}>
                {product.data.stock > 0 ? `${product.data.stock} in stock` : 'Out of stock'}
              </p>
              <AddToCartButton product={product.data} />
            </div>
          </article>
        )}
      </div>
      {product.data && <SimilarProducts productId={product.data.id} action={(p) => <AddToCartButton product={p} />} />}
    </div>
  );
}
