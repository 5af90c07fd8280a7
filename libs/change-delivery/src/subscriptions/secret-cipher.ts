import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for webhook secrets at rest. The key is derived (HKDF-SHA256) from
 * WEBHOOK_SECRET_KEY, so any high-entropy string works; the subscription id is bound as
 * associated data, so a sealed secret copied onto another subscription does not open.
 */
export class SecretCipher {
  private constructor(private readonly key: Buffer) {}

  static fromPassphrase(passphrase: string): SecretCipher {
    const key = Buffer.from(hkdfSync('sha256', passphrase, 'flagfleet', 'webhook-secrets', 32));
    return new SecretCipher(key);
  }

  /** Secrets sealed with it die with the process (the memory store's secrets do too). */
  static ephemeral(): SecretCipher {
    return new SecretCipher(randomBytes(32));
  }

  seal(plain: string, subscriptionId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(subscriptionId));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** null when the key is wrong or the data was altered. */
  open(sealed: string, subscriptionId: string): string | null {
    if (!sealed.startsWith(`${VERSION}.`)) return null;
    const raw = Buffer.from(sealed.slice(VERSION.length + 1), 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(subscriptionId));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      return null;
    }
  }
}
