/**
 * Finds personal data in free text (emails, phone numbers, payment card
 * numbers) and replaces each occurrence with a token. Pure functions, so the
 * rules are tested without DuckDB; `udfs.ts` exposes them to SQL.
 */
import { type CountryCode, findPhoneNumbersInText } from 'libphonenumber-js';

export const PII_KINDS = ['email', 'card', 'phone'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface DetectOptions {
  readonly kinds: readonly PiiKind[];
  readonly tokens: Readonly<Record<PiiKind, string>>;
  /** ISO country for phone numbers written without a +prefix. */
  readonly country: string;
}

// Local part and dot-separated domain labels of RFC 5322 addresses as people write them.
const EMAIL =
  /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+/g;

// 13 to 19 digits, optionally grouped by single spaces or dashes, not inside a longer number.
const CARD_CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])/g;

/** The Luhn checksum every payment card number satisfies (and most random digit runs do not). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

function replaceCards(text: string, token: string): string {
  return text.replace(CARD_CANDIDATE, (match) => (passesLuhn(match.replace(/[ -]/g, '')) ? token : match));
}

function replacePhones(text: string, token: string, country: string): string {
  const found = findPhoneNumbersInText(text, country.toUpperCase() as CountryCode);
  // Replaced from the end, so earlier offsets stay valid.
  let result = text;
  for (const phone of [...found].reverse()) {
    result = result.slice(0, phone.startsAt) + token + result.slice(phone.endsAt);
  }
  return result;
}

/**
 * Replaces every detected occurrence. Emails go first (their digits must not
 * look like phones), then cards (a card number is not a phone number).
 */
export function redactPii(text: string, options: DetectOptions): string {
  let result = text;
  if (options.kinds.includes('email')) result = result.replace(EMAIL, options.tokens.email);
  if (options.kinds.includes('card')) result = replaceCards(result, options.tokens.card);
  if (options.kinds.includes('phone')) result = replacePhones(result, options.tokens.phone, options.country);
  return result;
}
