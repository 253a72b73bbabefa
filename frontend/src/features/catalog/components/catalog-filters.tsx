import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';

import { Button } from '@/components/ui/button';
import { Field, SelectField } from '@/components/ui/field';

import { categoriesQuery } from '../api/categories';
import type { CatalogUrlChange } from '../hooks/use-catalog-search';

// The list's default order is by name (the API's default), so it is the option without a value.
const sorts = [
  ['', 'Name, A to Z'],
  ['-name', 'Name, Z to A'],
  ['price_cents', 'Price, low to high'],
  ['-price_cents', 'Price, high to low'],
  ['-created_at', 'Newest first'],
] as const;

interface CatalogFiltersProps {
  params: URLSearchParams;
  /** whether the URL holds words to search for: results are then ranked, and sort does not apply. */
  searching: boolean;
  onChange: (c: CatalogUrlChange) => void;
}

/** CatalogFilters edits the catalogue's URL: the search box, category, price range, stock and sort. */
export function CatalogFilters({ params, searching, onChange }: CatalogFiltersProps) {
  const categories = useQuery(categoriesQuery());
  const [q, setQ] = useState(params.get('q') ?? '');
  const [min, setMin] = useState(params.get('min') ?? '');
  const [max, setMax] = useState(params.get('max') ?? '');
  const [urlQ, urlMin, urlMax] = [params.get('q') ?? '', params.get('min') ?? '', params.get('max') ?? ''];
  // Back, Forward and the assistant change the URL under the form: show what the URL says.
  useEffect(() => {
    setQ(urlQ);
    setMin(urlMin);
    setMax(urlMax);
  }, [urlQ, urlMin, urlMax]);

  function search(e: FormEvent) {
    e.preventDefault();
    onChange({ q: q.trim(), min, max });
  }

  const sort = params.get('sort') ?? '';
  return (
    <form role="search" onSubmit={search} className="space-y-4">
      <div className="flex gap-2">
        <div className="flex-1">
          <label htmlFor="catalog-q" className="sr-only">
            Search products
          </label>
          <input
            id="catalog-q"
            type="search"
            placeholder="Search by name, SKU or what it is for"
            maxLength={200}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            className="block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm"
          />
        </div>
        <Button type="submit">Search</Button>
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        <SelectField label="Category" value={params.get('category') ?? ''} onChange={(e) => onChange({ category: e.target.value })} className="col-span-2 sm:col-span-1">
          <option value="">All categories</option>
          {categories.data?.items.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.product_count})
            </option>
          ))}
        </SelectField>
        <Field label="Min price" type="number" inputMode="decimal" min={0} step="0.01" value={min} onChange={(e) => setMin(e.target.value)} />
        <Field label="Max price" type="number" inputMode="decimal" min={0} step="0.01" value={max} onChange={(e) => setMax(e.target.value)} />
        {searching ? (
          <SelectField label="Sort" value="relevance" disabled hint="Search results come best match first. Clear the search to sort.">
            <option value="relevance">Best match first</option>
          </SelectField>
        ) : (
          <SelectField label="Sort" value={sorts.some(([v]) => v === sort) ? sort : ''} onChange={(e) => onChange({ sort: e.target.value })}>
            {sorts.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </SelectField>
        )}
        <div className="flex items-end pb-2">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="size-4" checked={params.get('stock') === '1'} onChange={(e) => onChange({ stock: e.target.checked ? '1' : undefined })} />
            In stock only
          </label>
        </div>
      </div>
    </form>
  );
}
