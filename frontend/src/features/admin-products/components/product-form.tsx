import { useState, type FormEvent } from 'react';

import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/feedback';
import type { ApiError } from '@/lib/api-error';
import type { Product, ProductCreate } from '@/lib/generated/api.schemas';

interface ProductFormProps {
  product?: Product;
  pending: boolean;
  error: ApiError | null;
  onSubmit: (values: ProductCreate) => void;
  onCancel?: () => void;
}

function toCents(v: string): number {
  const n = Number(v);
  return Number.isFinite(n) ? Math.round(n * 100) : Number.NaN;
}

/** ProductForm edits every field of a product; prices are typed in units and sent in cents. */
export function ProductForm({ product, pending, error, onSubmit, onCancel }: ProductFormProps) {
  const [v, setV] = useState({
    sku: product?.sku ?? '',
    name: product?.name ?? '',
    description: product?.description ?? '',
    category: product?.category ?? '',
    price: product ? (product.price_cents / 100).toFixed(2) : '',
    currency: product?.currency ?? 'USD',
    stock: String(product?.stock ?? 0),
  });
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });

  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit({
      sku: v.sku.trim(),
      name: v.name.trim(),
      description: v.description,
      category: v.category.trim(),
      price_cents: toCents(v.price),
      currency: v.currency.trim().toUpperCase(),
      stock: Math.floor(Number(v.stock)),
    });
  }

  const fe = (f: string) => error?.fieldError(f);
  return (
    <form onSubmit={submit} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" noValidate aria-label={product ? `Edit ${product.name}` : 'New product'}>
      {error && !error.fieldErrors.length && <ErrorMessage error={error} />}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="SKU" required value={v.sku} onChange={set('sku')} error={fe('sku')} />
        <Field label="Name" required value={v.name} onChange={set('name')} error={fe('name')} />
        <Field label="Category" required value={v.category} onChange={set('category')} error={fe('category')} />
        <Field label="Price" type="number" step="0.01" min={0} required value={v.price} onChange={set('price')} error={fe('price_cents')} />
        <Field label="Currency" required maxLength={3} value={v.currency} onChange={set('currency')} error={fe('currency')} />
        <Field label="Stock" type="number" min={0} required value={v.stock} onChange={set('stock')} error={fe('stock')} />
      </div>
      <div>
        <label htmlFor="product-description" className="mb-1 block text-sm font-medium">
          Description
        </label>
        <textarea
          id="product-description"
          rows={3}
          value={v.description}
          onChange={set('description')}
          aria-invalid={fe('description') ? true : undefined}
          className="block w-full rounded-md border border-slate-400 px-3 py-2 text-sm"
        />
        {fe('description') && <p className="mt-1 text-sm text-red-700">{fe('description')}</p>}
      </div>
      <div className="flex gap-2">
        <Button type="submit" pending={pending}>
          {product ? 'Save changes' : 'Create product'}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
