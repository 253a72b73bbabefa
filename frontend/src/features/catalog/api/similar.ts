/**
 * Products similar to one product. The endpoint may not be deployed: a 404 resolves to null,
 * and the section hides itself.
 */
import { queryOptions } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';
import { isNotFound } from '@/lib/api-error';
import type { Product } from '@/lib/generated/api.schemas';

import { productKeys } from './products';

/** SimilarProduct is a product with why it is similar. */
export interface SimilarProduct extends Product {
  score?: number;
  reason?: string;
}

/** fetchSimilar returns similar products, or null when the API has no such endpoint. */
export async function fetchSimilar(id: string, signal?: AbortSignal): Promise<SimilarProduct[] | null> {
  try {
    const res = await apiRequest<{ items: SimilarProduct[] }>({ url: `/api/v1/products/${id}/similar`, method: 'GET', signal });
    return res.items;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** similarQuery loads the similar products of a product page. */
export const similarQuery = (id: string) =>
  queryOptions({ queryKey: productKeys.similar(id), queryFn: ({ signal }) => fetchSimilar(id, signal), retry: false });
