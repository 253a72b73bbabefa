/** Creating an account: the register fetcher as a mutation hook. */
import { useMutation } from '@tanstack/react-query';

import type { ApiError } from '@/lib/api-error';
import { register } from '@/lib/generated/api';
import type { RegisterRequest, User } from '@/lib/generated/api.schemas';

/** useRegister creates a customer account; errors carry field messages for the form. */
export function useRegister() {
  return useMutation<User, ApiError, RegisterRequest>({ mutationFn: (body) => register(body) });
}
