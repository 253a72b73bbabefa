import { useState } from 'react';

import { Button } from '@/components/ui/button';
import { ErrorMessage } from '@/components/ui/feedback';
import { formatMoney } from '@/lib/format';
import type { Product } from '@/lib/generated/api.schemas';

import { useDeleteProduct, useUpdateProduct } from '../api/products';

function StockEditor({ product }: { product: Product }) {
  const [stock, setStock] = useState(String(product.stock));
  const update = useUpdateProduct();
  const changed = stock !== String(product.stock);
  return (
    <div className="flex items-center gap-2">
      <label className="sr-only" htmlFor={`stock-${product.id}`}>
        Stock of {product.name}
      </label>
      <input
        id={`stock-${product.id}`}
        type="number"
        min={0}
        value={stock}
        onChange={(e) => setStock(e.target.value)}
        aria-invalid={update.error ? true : undefined}
        className="w-20 rounded-md border border-slate-400 px-2 py-1"
      />
      {changed && (
        <Button variant="ghost" pending={update.isPending} onClick={() => update.mutate({ id: product.id, patch: { stock: Math.floor(Number(stock)) } })}>
          Save<span className="sr-only"> stock of {product.name}</span>
        </Button>
      )}
      {update.error && <span className="text-xs text-red-700">{update.error.fieldError('stock') ?? update.error.detail}</span>}
    </div>
  );
}

function DeleteButton({ product }: { product: Product }) {
  const [confirming, setConfirming] = useState(false);
  const del = useDeleteProduct();
  if (!confirming) {
    return (
      <Button variant="ghost" onClick={() => setConfirming(true)}>
        Delete<span className="sr-only"> {product.name}</span>
      </Button>
    );
  }
  return (
    <span className="flex items-center gap-1">
      <Button variant="danger" pending={del.isPending} onClick={() => del.mutate(product.id)}>
        Confirm delete<span className="sr-only"> of {product.name}</span>
      </Button>
      <Button variant="ghost" onClick={() => setConfirming(false)}>
        Keep
      </Button>
      {del.error && <ErrorMessage error={del.error} />}
    </span>
  );
}

/** ProductTable lists products for staff, with stock editing, edit and (for admins) delete. */
export function ProductTable({ products, canDelete, onEdit }: { products: Product[]; canDelete: boolean; onEdit: (p: Product) => void }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">Products</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left">
            <th scope="col" className="p-2">SKU</th>
            <th scope="col" className="p-2">Name</th>
            <th scope="col" className="p-2">Category</th>
            <th scope="col" className="p-2 text-right">Price</th>
            <th scope="col" className="p-2">Stock</th>
            <th scope="col" className="p-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {products.map((p) => (
            <tr key={p.id} className="border-b border-slate-100 align-middle">
              <td className="p-2 font-mono text-xs">{p.sku}</td>
              <td className="p-2">{p.name}</td>
              <td className="p-2">{p.category}</td>
              <td className="p-2 text-right">{formatMoney(p.price_cents, p.currency)}</td>
              <td className="p-2">
                <StockEditor key={p.stock} product={p} />
              </td>
              <td className="p-2">
                <div className="flex flex-wrap gap-1">
                  <Button variant="ghost" onClick={() => onEdit(p)}>
                    Edit<span className="sr-only"> {p.name}</span>
                  </Button>
                  {canDelete && <DeleteButton product={p} />}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
