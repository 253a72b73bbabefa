/** User administration: the user list and role changes (admins only). */
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import type { ApiError } from '@/lib/api-error';
import { listUsers, setUserRole } from '@/lib/generated/api';
import type { ListUsersParams, Role, User } from '@/lib/generated/api.schemas';

/** userKeys builds the user list's query keys. */
export const userKeys = { all: ['users'] as const, list: (p: ListUsersParams) => [...userKeys.all, p] as const };

/** usersQuery lists users, filtered by role and text. */
export const usersQuery = (p: ListUsersParams) =>
  queryOptions({ queryKey: userKeys.list(p), queryFn: ({ signal }) => listUsers(p, undefined, signal), placeholderData: keepPreviousData });

/** useSetRole changes a user's role; it takes effect at the user's next token refresh. */
export function useSetRole() {
  const qc = useQueryClient();
  return useMutation<User, ApiError, { id: string; role: Role }>({
    mutationFn: ({ id, role }) => setUserRole(id, { role }),
    onSuccess: () => qc.invalidateQueries({ queryKey: userKeys.all }),
  });
}
