/** Puts a signed-in session in place, as a sign-in would have left it. */
import type { User } from '@/lib/generated/api.schemas';
import { setSession, setTokens } from '@/lib/tokens';

import { user as defaultUser } from './data';

export function signedInAs(u: User = defaultUser(), accessToken = 'access-1', refreshToken: string | null = 'refresh-1') {
  setTokens(accessToken, refreshToken);
  setSession({ status: 'signed-in', user: u, expired: false });
  return u;
}
