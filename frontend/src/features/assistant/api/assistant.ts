/**
 * The shopping assistant: a sentence in, the filters it understood and the products found out.
 * `available` turns false once the API answers 404, so the box hides until it is deployed.
 */
import { useMutation } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';
import type { ApiError } from '@/lib/api-error';
import type { Product } from '@/lib/generated/api.schemas';

/** AssistantFilters are the catalogue filters the assistant read from the message. */
export interface AssistantFilters {
  q?: string;
  category?: string;
  min_price_cents?: number;
  max_price_cents?: number;
  in_stock?: boolean;
}

/** AssistantAnswer is the assistant's reply. */
export interface AssistantAnswer {
  filters: AssistantFilters;
  items: Product[];
  provider?: string;
}

/** askAssistant sends one message. */
export function askAssistant(message: string): Promise<AssistantAnswer> {
  return apiRequest<AssistantAnswer>({ url: '/api/v1/assistant/query', method: 'POST', data: { message }, headers: { 'Content-Type': 'application/json' } });
}

/** useAskAssistant is the assistant as a mutation. */
export function useAskAssistant() {
  return useMutation<AssistantAnswer, ApiError, string>({ mutationFn: askAssistant });
}
