import { Navigate, Outlet, useLocation } from 'react-router';

import { EmptyState, Loading } from '@/components/ui/feedback';
import { hasRole, useSession } from '@/lib/session';

/** RequireSignIn sends signed-out visitors to sign in, and back here afterwards. */
export function RequireSignIn() {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'restoring') return <Loading label="Restoring your session" />;
  if (session.status === 'signed-out') {
    return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  return <Outlet />;
}

/** RequireRole admits staff (staff or admin) or admins only; others see why not. */
export function RequireRole({ role }: { role: 'staff' | 'admin' }) {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'restoring') return <Loading label="Restoring your session" />;
  if (session.status === 'signed-out') {
    return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  if (!hasRole(session.user, role)) {
    return <EmptyState title={`This page is for ${role} accounts.`}>Sign in with an account that has the {role} role.</EmptyState>;
  }
  return <Outlet />;
}
