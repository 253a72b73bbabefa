/** Formatting of money and times for display. */

// Making a NumberFormat costs far more than using one (a page of products formats dozens of
// prices), so there is one per currency; null marks a code Intl does not know.
const moneyFormats = new Map<string, Intl.NumberFormat | null>();

function moneyFormat(currency: string): Intl.NumberFormat | null {
  if (!moneyFormats.has(currency)) {
    try {
      moneyFormats.set(currency, new Intl.NumberFormat(undefined, { style: 'currency', currency }));
    } catch {
      moneyFormats.set(currency, null);
    }
  }
  return moneyFormats.get(currency) ?? null;
}

/** formatMoney shows integer cents in their currency, e.g. 1999 USD → $19.99. */
export function formatMoney(cents: number, currency: string): string {
  return moneyFormat(currency)?.format(cents / 100) ?? `${(cents / 100).toFixed(2)} ${currency}`;
}

/** formatDateTime shows an RFC 3339 time in the user's locale. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** newId returns a random UUID, also on plain-HTTP origins where randomUUID is unavailable. */
export function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * shortId is the part of a UUID shown to people. IDs here are time-ordered (version 7), so
 * records made close together share their first characters: show the random tail instead.
 */
export function shortId(id: string): string {
  return id.slice(-8);
}
