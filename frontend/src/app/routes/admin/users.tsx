import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/field';
import { EmptyState, ErrorMessage, Loading } from '@/components/ui/feedback';
import { Pagination } from '@/components/ui/pagination';
import { usersQuery } from '@/features/admin-users/api/users';
import { UserTable } from '@/features/admin-users/components/user-table';
import { Role } from '@/lib/generated/api.schemas';
import { useSession } from '@/lib/session';

const PAGE_SIZE = 25;

/** AdminUsersRoute lists users by role and text and changes their roles. */
export function AdminUsersRoute() {
  const session = useSession();
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [page, setPage] = useState(1);
  const users = useQuery(usersQuery({ q: applied || undefined, role: role || undefined, page, page_size: PAGE_SIZE }));

  function search(e: FormEvent) {
    e.preventDefault();
    setApplied(q.trim());
    setPage(1);
  }

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Users</h1>
      <form role="search" onSubmit={search} className="flex flex-wrap items-end gap-2">
        <div className="flex-1">
          <label htmlFor="users-q" className="mb-1 block text-sm font-medium">
            Name or email
          </label>
          <input id="users-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} className="w-full rounded-md border border-slate-400 px-3 py-2 text-sm" />
        </div>
        <SelectField label="Role" value={role} onChange={(e) => { setRole(e.target.value as Role | ''); setPage(1); }}>
          <option value="">All roles</option>
          {Object.values(Role).map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {users.isPending && <Loading label="Loading users" />}
      {users.isError && <ErrorMessage error={users.error} onRetry={() => void users.refetch()} />}
      {users.data &&
        (users.data.items.length ? (
          <>
            <UserTable users={users.data.items} selfId={session.user?.id ?? ''} />
            <Pagination page={page} pageSize={PAGE_SIZE} total={users.data.total} onPage={setPage} />
          </>
        ) : (
          <EmptyState title="No users match." />
        ))}
    </div>
  );
}
