import { useState } from 'react';

import { Button } from '@/components/ui/button';
import type { Product } from '@/lib/generated/api.schemas';

import { addToCart } from '../hooks/use-cart';

/** AddToCartButton puts one of a product in the cart and confirms it. */
export function AddToCartButton({ product, className = '' }: { product: Product; className?: string }) {
  const [added, setAdded] = useState(false);
  return (
    <Button
      variant="secondary"
      className={`w-full ${className}`}
      disabled={product.stock <= 0}
      onClick={() => {
        addToCart({ product_id: product.id, name: product.name, price_cents: product.price_cents, currency: product.currency });
        setAdded(true);
      }}
    >
      <span aria-live="polite">{added ? 'Added ✓' : 'Add to cart'}</span>
      <span className="sr-only">: {product.name}</span>
    </Button>
  );
}
