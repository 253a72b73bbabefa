import { createBrowserRouter, type RouteObject } from 'react-router';

import { RequireRole, RequireSignIn } from './guards';
import { Layout } from './layout';
import { CartRoute } from './routes/cart';
import { CatalogueRoute } from './routes/catalogue';
import { NotFoundRoute } from './routes/not-found';
import { OrderRoute } from './routes/order';
import { OrdersRoute } from './routes/orders';
import { ProductRoute } from './routes/product';
import { SignInRoute, SignUpRoute } from './routes/sign-in';

/** The staff and admin pages load on demand: customers never download them. */
const adminRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import('./routes/admin/pipeline')).PipelineRoute }) },
  { path: 'products', lazy: async () => ({ Component: (await import('./routes/admin/products')).AdminProductsRoute }) },
  { path: 'orders', lazy: async () => ({ Component: (await import('./routes/admin/orders')).AdminOrdersRoute }) },
  {
    path: 'users',
    element: <RequireRole role="admin" />,
    children: [{ index: true, lazy: async () => ({ Component: (await import('./routes/admin/users')).AdminUsersRoute }) }],
  },
];

/** routes is the app's route table. */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <CatalogueRoute /> },
      { path: 'products/:id', element: <ProductRoute /> },
      { path: 'cart', element: <CartRoute /> },
      { path: 'sign-in', element: <SignInRoute /> },
      { path: 'sign-up', element: <SignUpRoute /> },
      {
        element: <RequireSignIn />,
        children: [
          { path: 'orders', element: <OrdersRoute /> },
          { path: 'orders/:id', element: <OrderRoute /> },
        ],
      },
      {
        path: 'admin',
        element: <RequireRole role="staff" />,
        children: [{ lazy: async () => ({ Component: (await import('./routes/admin/layout')).AdminLayout }), children: adminRoutes }],
      },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];

/** createAppRouter builds the browser router. */
export function createAppRouter() {
  return createBrowserRouter(routes);
}
