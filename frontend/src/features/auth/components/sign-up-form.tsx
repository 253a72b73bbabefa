import { useState, type FormEvent } from 'react';

import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/feedback';

import { useRegister } from '../api/register';
import { useSignIn } from '../api/sign-in';

/** SignUpForm creates a customer account, then signs it in and calls onSignedIn. */
export function SignUpForm({ onSignedIn }: { onSignedIn: () => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const register = useRegister();
  const signIn = useSignIn();

  function submit(e: FormEvent) {
    e.preventDefault();
    register.mutate(
      { name, email, password },
      { onSuccess: () => signIn.mutate({ email, password }, { onSuccess: onSignedIn }) },
    );
  }

  const err = register.error ?? signIn.error;
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {err && !err.fieldErrors.length && <ErrorMessage error={err} />}
      <Field label="Name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} error={err?.fieldError('name')} />
      <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={err?.fieldError('email')} />
      <Field
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        hint="At least 8 characters."
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={err?.fieldError('password')}
      />
      <Button type="submit" pending={register.isPending || signIn.isPending} className="w-full">
        Create account
      </Button>
    </form>
  );
}
