import { useState } from 'react';

import { Button } from '@/components/ui/button';
import { formatDateTime } from '@/lib/format';
import { Role, type User } from '@/lib/generated/api.schemas';

import { useSetRole } from '../api/users';

function RoleEditor({ user, self }: { user: User; self: boolean }) {
  const [role, setRole] = useState<Role>(user.role);
  const setRoleM = useSetRole();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`role-${user.id}`}>
        Role of {user.email}
      </label>
      <select id={`role-${user.id}`} value={role} disabled={self} onChange={(e) => setRole(e.target.value as Role)} className="rounded-md border border-slate-400 px-2 py-1">
        {Object.values(Role).map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {role !== user.role && (
        <Button variant="ghost" pending={setRoleM.isPending} onClick={() => setRoleM.mutate({ id: user.id, role })}>
          Save<span className="sr-only"> role of {user.email}</span>
        </Button>
      )}
      {setRoleM.error && <span className="text-xs text-red-700">{setRoleM.error.detail}</span>}
    </div>
  );
}

/** UserTable lists users with a role changer; admins cannot demote themselves here. */
export function UserTable({ users, selfId }: { users: User[]; selfId: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">Users</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left">
            <th scope="col" className="p-2">Name</th>
            <th scope="col" className="p-2">Email</th>
            <th scope="col" className="p-2">Since</th>
            <th scope="col" className="p-2">Role</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className="border-b border-slate-100">
              <td className="p-2">{u.name}</td>
              <td className="p-2">{u.email}</td>
              <td className="p-2">{formatDateTime(u.created_at)}</td>
              <td className="p-2">
                <RoleEditor key={u.role} user={u} self={u.id === selfId} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
