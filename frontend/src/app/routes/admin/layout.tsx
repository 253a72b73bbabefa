import { NavLink, Outlet } from 'react-router';

import { hasRole, useSession } from '@/lib/session';

const tab = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-3 py-2 text-sm font-medium ${isActive ? 'bg-slate-800 text-white' : 'bg-white text-slate-800 hover:bg-slate-100'}`;

/** AdminLayout is the staff area's sub-navigation. */
export function AdminLayout() {
  const session = useSession();
  return (
    <div className="space-y-6">
      <nav aria-label="Administration" className="flex flex-wrap gap-2">
        <NavLink to="/admin" end className={tab}>
          Pipeline
        </NavLink>
        <NavLink to="/admin/products" className={tab}>
          Products
        </NavLink>
        <NavLink to="/admin/orders" className={tab}>
          Orders
        </NavLink>
        {hasRole(session.user, 'admin') && (
          <NavLink to="/admin/users" className={tab}>
            Users
          </NavLink>
        )}
      </nav>
      <Outlet />
    </div>
  );
}
