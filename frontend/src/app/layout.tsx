import { useEffect } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';

import { cartCount, useCart } from '@/features/cart/hooks/use-cart';
import { useSignOut } from '@/features/auth/api/sign-in';
import { hasRole, useSession } from '@/lib/session';

const navClass = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-3 py-2 text-sm font-medium ${isActive ? 'bg-blue-100 text-blue-900' : 'text-slate-800 hover:bg-slate-100'}`;

/** Layout is the frame of every page: skip link, header navigation and the main region. */
export function Layout() {
  const session = useSession();
  const cart = useCart();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();

  // A refresh that failed ends the session: ask to sign in again, then come back here.
  useEffect(() => {
    if (session.expired && location.pathname !== '/sign-in') {
      void navigate(`/sign-in?expired=1&next=${encodeURIComponent(location.pathname + location.search)}`);
    }
  }, [session.expired, location, navigate]);

  const count = cartCount(cart);
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:rounded focus:bg-white focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-2 px-4 py-3">
          <Link to="/" className="mr-4 text-lg font-bold text-blue-800">
            Acme Orders
          </Link>
          <nav aria-label="Main" className="flex flex-1 flex-wrap items-center gap-1">
            <NavLink to="/" end className={navClass}>
              Catalogue
            </NavLink>
            <NavLink to="/cart" className={navClass}>
              Cart{count > 0 && <span className="ml-1 rounded-full bg-blue-700 px-2 text-xs text-white">{count}<span className="sr-only"> items</span></span>}
            </NavLink>
            {session.user && (
              <NavLink to="/orders" className={navClass}>
                Orders
              </NavLink>
            )}
            {hasRole(session.user, 'staff') && (
              <NavLink to="/admin" className={navClass}>
                Admin
              </NavLink>
            )}
          </nav>
          <div className="flex items-center gap-2 text-sm">
            {session.user ? (
              <>
                <span className="hidden text-slate-700 sm:inline">{session.user.email}</span>
                <button
                  type="button"
                  className="rounded-md px-3 py-2 font-medium text-blue-800 hover:bg-blue-50"
                  onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate('/') })}
                >
                  Sign out
                </button>
              </>
            ) : (
              session.status === 'signed-out' && (
                <>
                  <NavLink to="/sign-in" className={navClass}>
                    Sign in
                  </NavLink>
                  <NavLink to="/sign-up" className={navClass}>
                    Sign up
                  </NavLink>
                </>
              )
            )}
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        <Outlet />
      </main>
    </>
  );
}
