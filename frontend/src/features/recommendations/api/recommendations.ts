/**
 * Personal recommendations. The endpoint may not be deployed yet: a 404 resolves to null and the
 * home page leaves the section out.
 */
import { queryOptions } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';
import { isNotFound } from '@/lib/api-error';
import type { Product } from '@/lib/generated/api.schemas';

/** Recommendation is a product with the reason it is suggested. */
export interface Recommendation extends Product {
  reason?: string;
}

/** fetchRecommendations returns the caller's recommendations, or null without the endpoint. */
export async function fetchRecommendations(signal?: AbortSignal): Promise<Recommendation[] | null> {
  try {
    return (await apiRequest<{ items: Recommendation[] }>({ url: '/api/v1/recommendations', method: 'GET', signal })).items;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** recommendationsQuery is keyed per user so a new sign-in never shows the last user's picks. */
export const recommendationsQuery = (userId: string) =>
  queryOptions({ queryKey: ['recommendations', userId] as const, queryFn: ({ signal }) => fetchRecommendations(signal), retry: false, staleTime: 60_000 });
