/**
 * Catalogue management for staff: the product table's query and the create, update and delete
 * mutations. Keys live under the catalogue's `products` prefix, so every change refreshes both
 * the table and the shop's pages.
 */
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import type { ApiError } from '@/lib/api-error';
import { createProduct, deleteProduct, listProducts, updateProduct } from '@/lib/generated/api';
import type { ListProductsParams, Product, ProductCreate, ProductPatch } from '@/lib/generated/api.schemas';

const PRODUCTS = ['products'] as const;

/** adminProductsQuery lists products for the management table. */
export const adminProductsQuery = (p: ListProductsParams) =>
  queryOptions({
    queryKey: [...PRODUCTS, 'admin', p] as const,
    queryFn: ({ signal }) => listProducts(p, undefined, signal),
    placeholderData: keepPreviousData,
  });

function useProductMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation<R, ApiError, V>({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: PRODUCTS });
      void qc.invalidateQueries({ queryKey: ['categories'] });
    },
  });
}

/** useCreateProduct adds a product; 409 for a duplicate SKU, 422 with field errors. */
export const useCreateProduct = () => useProductMutation<ProductCreate, Product>((body) => createProduct(body));

/** useUpdateProduct changes some fields of a product. */
export const useUpdateProduct = () => useProductMutation<{ id: string; patch: ProductPatch }, Product>(({ id, patch }) => updateProduct(id, patch));

/** useDeleteProduct removes a product from the catalogue (admins; kept for order history). */
export const useDeleteProduct = () => useProductMutation<string, void>((id) => deleteProduct(id));
