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

/** RERANK_POLL_MS is how soon the picks are asked for again while a language model reranks them. */
export const RERANK_POLL_MS = 3_000;

/** RERANK_POLLS is how many times at most they are asked for again, so a slow or failing model ends the wait. */
export const RERANK_POLLS = 5;

/**
 * recommendationsQuery loads the signed-in user's recommendations. When the API says a language
 * model's reranking is under way (`refreshing`), it asks again a few times, so the model's picks
 * replace the local ones without a reload.
 */
export const recommendationsQuery = (userId: string) =>
  queryOptions({
    queryKey: recommendationKeys.forUser(userId),
    queryFn: ({ signal }) => fetchRecommendations(signal),
    retry: false,
    staleTime: 60_000,
    refetchInterval: (query) => (query.state.data?.refreshing && query.state.dataUpdateCount <= RERANK_POLLS ? RERANK_POLL_MS : false),
  });
