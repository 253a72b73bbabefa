/**
 * Personal recommendations (GET /recommendations, through the generated client and its types).
 * The endpoint may not be deployed: a 404 resolves to null and the home page leaves the section out.
 */
import { queryOptions } from '@tanstack/react-query';

import { isNotFound } from '@/lib/api-error';
import { getRecommendations } from '@/lib/generated/api';
import type { GetRecommendations200 } from '@/lib/generated/api.schemas';

/** RecommendationList is the caller's picks, how they were made (`source`) and when. */
export type RecommendationList = GetRecommendations200;

/** RECOMMENDATIONS_SHOWN is how many picks the home page shows. */
export const RECOMMENDATIONS_SHOWN = 4;

/** recommendationKeys builds the recommendation query keys; per user, so a new sign-in never shows the last user's picks. */
export const recommendationKeys = {
  all: ['recommendations'] as const,
  forUser: (userId: string) => [...recommendationKeys.all, userId] as const,
};

/** fetchRecommendations returns the caller's recommendations, or null without the endpoint. */
export async function fetchRecommendations(signal?: AbortSignal): Promise<RecommendationList | null> {
  try {
    return await getRecommendations({ page_size: RECOMMENDATIONS_SHOWN }, undefined, signal);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** recommendationsQuery loads the signed-in user's recommendations. */
export const recommendationsQuery = (userId: string) =>
  queryOptions({ queryKey: recommendationKeys.forUser(userId), queryFn: ({ signal }) => fetchRecommendations(signal), retry: false, staleTime: 60_000 });
