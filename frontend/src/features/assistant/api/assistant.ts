/**
 * The shopping assistant: a sentence in, the filters it understood, the products they find and
 * who read the sentence out (POST /assistant/query, through the generated client and its types).
 */
import { useMutation } from '@tanstack/react-query';

import type { ApiError } from '@/lib/api-error';
import { askAssistant } from '@/lib/generated/api';
import type { AssistantAnswer } from '@/lib/generated/api.schemas';

/** useAskAssistant sends one message; a 404 (error.status) means the API has no assistant. */
export function useAskAssistant() {
  return useMutation<AssistantAnswer, ApiError, string>({ mutationFn: (message) => askAssistant({ message }) });
}
