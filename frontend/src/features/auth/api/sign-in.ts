/** Signing in as a mutation, so the form gets pending and error states. */
import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { ApiError } from '@/lib/api-error';
import type { User } from '@/lib/generated/api.schemas';
import { signIn, signOut } from '@/lib/session';

/** useSignIn signs in with email and password. */
export function useSignIn() {
  const qc = useQueryClient();
  return useMutation<User, ApiError, { email: string; password: string }>({
    mutationFn: ({ email, password }) => signIn(email, password),
    onSuccess: () => qc.invalidateQueries(),
  });
}

/** useSignOut signs out and drops every cached response of the previous user. */
export function useSignOut() {
  const qc = useQueryClient();
  return useMutation<void, ApiError, void>({
    mutationFn: () => signOut(),
    onSettled: () => qc.clear(),
  });
}
