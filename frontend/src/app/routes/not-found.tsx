import { Link } from 'react-router';

import { EmptyState } from '@/components/ui/feedback';

/** NotFoundRoute answers paths the app does not know. */
export function NotFoundRoute() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <EmptyState title="There is no page at this address.">
        <Link to="/" className="font-medium text-blue-800 underline">
          Go to the catalogue
        </Link>
      </EmptyState>
    </div>
  );
}
