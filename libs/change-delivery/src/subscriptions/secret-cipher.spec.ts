import { SecretCipher } from './secret-cipher';

describe('SecretCipher (AES-256-GCM)', () => {
  const cipher = SecretCipher.fromPassphrase('a passphrase of some length');

  it('round-trips and never stores the plain text', () => {
    const sealed = cipher.seal('whsec_secret', 'sub_1');
    expect(sealed).not.toContain('whsec_secret');
    expect(sealed).not.toBe(cipher.seal('whsec_secret', 'sub_1')); // fresh IV each time
    expect(cipher.open(sealed, 'sub_1')).toBe('whsec_secret');
  });

  it('does not open under another key, another subscription, or after tampering', () => {
    const sealed = cipher.seal('whsec_secret', 'sub_1');
    expect(SecretCipher.fromPassphrase('another passphrase here').open(sealed, 'sub_1')).toBeNull();
    expect(cipher.open(sealed, 'sub_2')).toBeNull();
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] ^= 1;
    expect(cipher.open(`v1.${raw.toString('base64')}`, 'sub_1')).toBeNull();
    expect(cipher.open('garbage', 'sub_1')).toBeNull();
  });
});
