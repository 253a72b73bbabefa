import { Link, useNavigate, useSearchParams } from 'react-router';

import { SignInForm } from '@/features/auth/components/sign-in-form';
import { SignUpForm } from '@/features/auth/components/sign-up-form';

/** safeNext keeps redirects inside the app. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** SignInRoute signs in and returns to the page that asked for it. */
export function SignInRoute() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  return (
    <div className="mx-auto max-w-sm space-y-4">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      {params.get('expired') === '1' && (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Your session ended. Please sign in again.
        </p>
      )}
      <SignInForm onSignedIn={() => void navigate(safeNext(params.get('next')), { replace: true })} />
      <p className="text-sm">
        New here?{' '}
        <Link to={`/sign-up${params.get('next') ? `?next=${encodeURIComponent(params.get('next') ?? '')}` : ''}`} className="font-medium text-blue-800 underline">
          Create an account
        </Link>
      </p>
    </div>
  );
}

/** SignUpRoute creates a customer account and signs it in. */
export function SignUpRoute() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  return (
    <div className="mx-auto max-w-sm space-y-4">
      <h1 className="text-2xl font-semibold">Create an account</h1>
      <SignUpForm onSignedIn={() => void navigate(safeNext(params.get('next')), { replace: true })} />
      <p className="text-sm">
        Already have one?{' '}
        <Link to="/sign-in" className="font-medium text-blue-800 underline">
          Sign in
        </Link>
      </p>
    </div>
  );
}
