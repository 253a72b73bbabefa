import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { formatMoney } from '@/lib/format';
import type { Product } from '@/lib/generated/api.schemas';

/** ProductCard shows a product in a list, with an optional action (such as add to cart). */
export function ProductCard({ product, action, note }: { product: Product; action?: ReactNode; note?: string }) {
  return (
    <li className="flex flex-col rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <p className="text-xs uppercase tracking-wide text-slate-600">{product.category}</p>
      <h3 className="mt-1 font-medium">
        <Link to={`/products/${product.id}`} className="hover:underline">
          {product.name}
        </Link>
      </h3>
      {note && <p className="mt-1 text-xs text-slate-600">{note}</p>}
      <div className="mt-auto flex items-center justify-between gap-2 pt-3">
        <span className="font-semibold">{formatMoney(product.price_cents, product.currency)}</span>
        <span className={`text-xs ${product.stock > 0 ? 'text-green-800' : 'text-red-700'}`}>{product.stock > 0 ? `${product.stock} in stock` : 'Out of stock'}</span>
      </div>
      {action && <div className="pt-3">{action}</div>}
    </li>
  );
}
