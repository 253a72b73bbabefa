import type { QueryClient } from '@tanstack/react-query';
import { createBrowserRouter, type RouteObject } from 'react-router';

import { RequireRole, RequireSignIn } from './guards';
import { Layout } from './layout';
import { catalogueLoader, CatalogueRoute } from './routes/catalogue';

/**
 * The catalogue, the page most visits start on, is in the first download; every other page
 * loads when first opened, so the catalogue's start-up evaluates only what it shows. The staff
 * and admin pages likewise: customers never download them.
 */
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

/** createRoutes builds the app's route table; loaders start their queries in queryClient. */
export function createRoutes(queryClient: QueryClient): RouteObject[] {
  return [
    {
      element: <Layout />,
      children: [
        { index: true, loader: catalogueLoader(queryClient), element: <CatalogueRoute /> },
        { path: 'products/:id', lazy: async () => ({ Component: (await import('./routes/product')).ProductRoute }) },
        { path: 'cart', lazy: async () => ({ Component: (await import('./routes/cart')).CartRoute }) },
        { path: 'sign-in', lazy: async () => ({ Component: (await import('./routes/sign-in')).SignInRoute }) },
        { path: 'sign-up', lazy: async () => ({ Component: (await import('./routes/sign-in')).SignUpRoute }) },
        {
          element: <RequireSignIn />,
          children: [
            { path: 'orders', lazy: async () => ({ Component: (await import('./routes/orders')).OrdersRoute }) },
            { path: 'orders/:id', lazy: async () => ({ Component: (await import('./routes/order')).OrderRoute }) },
          ],
        },
        {
          path: 'admin',
          element: <RequireRole role="staff" />,
          children: [{ lazy: async () => ({ Component: (await import('./routes/admin/layout')).AdminLayout }), children: adminRoutes }],
        },
        { path: '*', lazy: async () => ({ Component: (await import('./routes/not-found')).NotFoundRoute }) },
      ],
    },
  ];
}

/** createAppRouter builds the browser router. */
export function createAppRouter(queryClient: QueryClient) {
  return createBrowserRouter(createRoutes(queryClient));
}
