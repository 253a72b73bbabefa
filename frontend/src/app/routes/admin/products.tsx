import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { Button } from '@/components/ui/button';
import { EmptyState, ErrorMessage, Loading } from '@/components/ui/feedback';
import { Pagination } from '@/components/ui/pagination';
import { adminProductsQuery, useCreateProduct, useUpdateProduct } from '@/features/admin-products/api/products';
import { ProductForm } from '@/features/admin-products/components/product-form';
import { ProductTable } from '@/features/admin-products/components/product-table';
import type { Product, ProductCreate, ProductPatch } from '@/lib/generated/api.schemas';
import { hasRole, useSession } from '@/lib/session';

const PAGE_SIZE = 25;

function changes(before: Product, after: ProductCreate): ProductPatch {
  const patch: ProductPatch = {};
  for (const k of ['sku', 'name', 'description', 'category', 'price_cents', 'currency', 'stock'] as const) {
    if (before[k] !== after[k]) (patch as Record<string, unknown>)[k] = after[k];
  }
  return patch;
}

/** AdminProductsRoute manages the catalogue: search, create, edit, stock and delete. */
export function AdminProductsRoute() {
  const session = useSession();
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const list = useQuery(adminProductsQuery({ q: applied || undefined, page, page_size: PAGE_SIZE, sort: '-created_at' }));
  const create = useCreateProduct();
  const update = useUpdateProduct();

  function search(e: FormEvent) {
    e.preventDefault();
    setApplied(q.trim());
    setPage(1);
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Products</h1>
        <Button onClick={() => { create.reset(); setEditing('new'); }}>New product</Button>
      </div>
      {editing === 'new' && (
        <ProductForm pending={create.isPending} error={create.error} onCancel={() => setEditing(null)} onSubmit={(v) => create.mutate(v, { onSuccess: () => setEditing(null) })} />
      )}
      {editing && editing !== 'new' && (
        <ProductForm
          key={editing.id}
          product={editing}
          pending={update.isPending}
          error={update.error}
          onCancel={() => setEditing(null)}
          onSubmit={(v) => update.mutate({ id: editing.id, patch: changes(editing, v) }, { onSuccess: () => setEditing(null) })}
        />
      )}
      <form role="search" onSubmit={search} className="flex gap-2">
        <label htmlFor="admin-products-q" className="sr-only">
          Search products
        </label>
        <input id="admin-products-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Search by name" className="flex-1 rounded-md border border-slate-400 px-3 py-2 text-sm" />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {list.isPending && <Loading label="Loading products" />}
      {list.isError && <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />}
      {list.data &&
        (list.data.items.length ? (
          <>
            <ProductTable products={list.data.items} canDelete={hasRole(session.user, 'admin')} onEdit={(p) => { update.reset(); setEditing(p); }} />
            <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
          </>
        ) : (
          <EmptyState title="No products found." />
        ))}
    </div>
  );
}
