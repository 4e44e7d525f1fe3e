/**
 * Secrets: register a secret, and every form it may be printed in, with the runner's masker.
 * The runner masks only the exact strings it is told about, so an encoded password (a Docker
 * auth string, a URL with credentials, a JSON document) would otherwise leak.
 */
import { setSecret } from './workflow-commands';

/** The secret itself and the encodings a tool or an API might echo back. */
export function derivedForms(secret: string): string[] {
  if (!secret) return [];
  const forms = new Set<string>([secret]);
  for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 3) forms.add(line.trim());
  const b64 = Buffer.from(secret).toString('base64');
  forms.add(b64);
  forms.add(Buffer.from(secret).toString('base64url'));
  forms.add(b64.replace(/=+$/, ''));
  forms.add(encodeURIComponent(secret));
  forms.add(JSON.stringify(secret).slice(1, -1));
  return [...forms].filter((form) => form.length > 0);
}

/** Masks `secret` and its derived forms. A `user:password` pair is masked as its base64 too. */
export function maskSecret(secret: string | undefined, username?: string): void {
  if (!secret) return;
  const forms = derivedForms(secret);
  if (username) {
    forms.push(...derivedForms(`${username}:${secret}`).filter((form) => form !== `${username}:${secret}`));
  }
  for (const form of forms) setSecret(form);
}
