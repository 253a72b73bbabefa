import { useState, type FormEvent } from 'react';

import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/feedback';

import { useSignIn } from '../api/sign-in';

/** SignInForm asks for email and password and calls onSignedIn once the session is ready. */
export function SignInForm({ onSignedIn, initialEmail = '' }: { onSignedIn: () => void; initialEmail?: string }) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const signIn = useSignIn();

  function submit(e: FormEvent) {
    e.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: onSignedIn });
  }

  const err = signIn.error;
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {err && !err.fieldErrors.length && <ErrorMessage error={err} />}
      <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={err?.fieldError('email')} />
      <Field
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={err?.fieldError('password')}
      />
      <Button type="submit" pending={signIn.isPending} className="w-full">
        Sign in
      </Button>
    </form>
  );
}
