/**
 * Products similar to one product (GET /products/{id}/similar, through the generated client and
 * its types). The endpoint may not be deployed: a 404 resolves to null, and the section hides.
 */
import { queryOptions } from '@tanstack/react-query';

import { isNotFound } from '@/lib/api-error';
import { similarProducts } from '@/lib/generated/api';
import type { SimilarProducts200ItemsItem } from '@/lib/generated/api.schemas';

import { productKeys } from './products';

/** SimilarProduct is a product with how similar it is and why. */
export type SimilarProduct = SimilarProducts200ItemsItem;

/** SIMILAR_SHOWN is how many similar products a product page shows. */
export const SIMILAR_SHOWN = 4;

/** fetchSimilar returns similar products, or null when the API has no such endpoint. */
export async function fetchSimilar(id: string, signal?: AbortSignal): Promise<SimilarProduct[] | null> {
  try {
    return (await similarProducts(id, { page_size: SIMILAR_SHOWN }, undefined, signal)).items;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** similarQuery loads the similar products of a product page. */
export const similarQuery = (id: string) =>
  queryOptions({ queryKey: productKeys.similar(id), queryFn: ({ signal }) => fetchSimilar(id, signal), retry: false });
